import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

/** The real process, started as `npm start` would, in a folder of its own (for its .env). */
const TSX = resolve("node_modules", ".bin", "tsx");
const MAIN = resolve("src", "main.ts");
let dir = "";
let child: ChildProcessWithoutNullStreams | undefined;
let busy: Server | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
  await new Promise<void>((done) => (busy ? busy.close(() => done()) : done()));
  busy = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

/** A fresh folder for one test's process. */
function folder(): string {
  dir = mkdtempSync(join(tmpdir(), "tw-start-"));
  return dir;
}

function run(env: Record<string, string>, dotenv?: string) {
  if (!dir) folder();
  if (dotenv !== undefined) writeFileSync(join(dir, ".env"), dotenv);
  const proc = spawn(TSX, [MAIN], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", DB_PATH: join(dir, "tw.db"), HEALTH_PORT: "0", ...env },
  });
  child = proc;
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  proc.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((done) => proc.on("exit", (code) => done(code)));
  return { exited, stdout: () => stdout, stderr: () => stderr };
}

/** The problem lines under the heading, without log lines. */
function problemLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("  "))
    .map((l) => l.trim());
}

describe("start-up errors name the setting and the fix, exit 2, and never print under the demo banner", () => {
  it("DB_PATH pointing at a file that is not a SQLite database", async () => {
    folder();
    writeFileSync(join(dir, "notes.txt"), "these are my trading notes, not a database\n".repeat(200));
    const again = run({ DB_PATH: join(dir, "notes.txt") });
    expect(await again.exited).toBe(2);
    expect(problemLines(again.stderr())).toEqual([
      `DB_PATH: ${join(dir, "notes.txt")} is not a SQLite database; point DB_PATH at a new file or restore a backup (docs/OPERATIONS.md, section 6.2)`,
    ]);
    expect(again.stdout()).not.toMatch(/tradewarden DEMO/);
  });

  it("DB_PATH under a file, where no folder can be made", async () => {
    folder();
    writeFileSync(join(dir, "plain"), "x");
    const again = run({ DB_PATH: join(dir, "plain", "tw.db") });
    expect(await again.exited).toBe(2);
    expect(problemLines(again.stderr())[0]).toMatch(/^DB_PATH: .*plain\/tw\.db is a folder or under a file/);
  });

  it("HEALTH_PORT already in use", async () => {
    busy = createServer();
    const port = await new Promise<number>((done) =>
      busy!.listen(0, "127.0.0.1", () => done((busy!.address() as { port: number }).port)),
    );
    const app = run({ HEALTH_PORT: String(port) });
    expect(await app.exited).toBe(2);
    expect(problemLines(app.stderr())).toEqual([
      `HEALTH_PORT: ${port} is already in use on 127.0.0.1; stop the program using it or set HEALTH_PORT to a free port`,
    ]);
    expect(app.stdout()).not.toMatch(/tradewarden DEMO/);
  });

  it("a problem from .env says its line; a malformed .env line is an error, not ignored", async () => {
    const app = run({}, "# my settings\nTRADING_MODE=demo\nIB_PORT=abc\nHEARTBEAT_S 3\n");
    expect(await app.exited).toBe(2);
    expect(problemLines(app.stderr())).toEqual([
      '.env line 4: "HEARTBEAT_S 3" is not NAME=value; write it as NAME=value (e.g. IB_PORT=4004) or start the line with # to keep it as a note',
      'IB_PORT: "abc" is not a port number; use an integer 1-65535, e.g. IB_PORT=4004 (from .env line 3)',
    ]);
  });
});
