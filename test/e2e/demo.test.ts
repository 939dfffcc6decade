import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../support/fake-discord/index.js";
import { waitUntil } from "../support/wait.js";

const TSX = join("node_modules", ".bin", "tsx");
let dir = "";
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

function run(env: Record<string, string>, args: string[] = []) {
  dir ||= mkdtempSync(join(tmpdir(), "tw-demo-"));
  const proc = spawn(TSX, ["src/main.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", DB_PATH: join(dir, "tw.db"), HEALTH_PORT: "0", ...env },
  });
  child = proc;
  const out: Array<Record<string, unknown>> = [];
  const lines: string[] = [];
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
    for (let i = stdout.indexOf("\n"); i >= 0; i = stdout.indexOf("\n")) {
      const line = stdout.slice(0, i);
      stdout = stdout.slice(i + 1);
      lines.push(line);
      if (line.startsWith("{")) out.push(JSON.parse(line));
    }
  });
  proc.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return { proc, out, lines, exited, stderr: () => stderr };
}

describe("npm start (demo)", () => {
  it("connects to the in-process simulator, answers /status, and shuts down cleanly on SIGINT", async () => {
    const app = run({ CONSOLE_JSON: "1" });
    await waitUntil(
      () => app.out.find((o) => o.kind === "alert" && o.type === "connected"),
      "connected",
      20_000,
    );
    app.proc.stdin.write("/status\n");
    const reply = await waitUntil(() => app.out.find((o) => o.kind === "reply"), "the /status reply");
    expect(reply).toMatchObject({ command: "status", ok: true, data: { mode: "demo", state: "connected" } });
    expect(reply.text).toMatch(/Mode: DEMO/);
    app.proc.kill("SIGINT");
    expect(await app.exited).toBe(0);
    const db = new Database(join(dir, "tw.db"), { readonly: true });
    const alerts = db.prepare("select type, delivered_at from alerts").all() as Array<{
      delivered_at: string | null;
    }>;
    db.close();
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.delivered_at !== null)).toBe(true);
    // Nothing but JSON on stdout, one object per line; the logs went to their file.
    expect(app.lines.length).toBeGreaterThan(1);
    for (const line of app.lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(readFileSync(join(dir, "tradewarden.log"), "utf8")).toMatch(/"msg":"starting"/);
  });

  it("npm run demo:reset starts the demo afresh and says so; without it the journal is kept", async () => {
    const first = run({ CONSOLE_JSON: "1" });
    await waitUntil(
      () => first.out.find((o) => o.kind === "alert" && o.type === "connected"),
      "connected",
      20_000,
    );
    first.proc.kill("SIGINT");
    expect(await first.exited).toBe(0);
    const alertsIn = () => {
      const db = new Database(join(dir, "tw.db"), { readonly: true });
      const n = (db.prepare("select count(*) as n from alerts").get() as { n: number }).n;
      db.close();
      return n;
    };
    const before = alertsIn();
    expect(before).toBeGreaterThan(0);
    let text = "";
    const again = run({}, ["--fresh"]);
    again.proc.stdout.on("data", (c: Buffer) => {
      text += c.toString();
    });
    await waitUntil(() => /Connected to the gateway/.test(text), "the connected post", 20_000);
    expect(text).toMatch(/Started afresh: the demo journal .*tw\.db was emptied/);
    expect(text).not.toMatch(/"level"|INFO|WARN/);
    again.proc.kill("SIGINT");
    expect(await again.exited).toBe(0);
    expect(alertsIn()).toBeLessThanOrEqual(before);
  });

  it("prints the demo banner in text mode", async () => {
    const app = run({});
    let text = "";
    app.proc.stdout.on("data", (c: Buffer) => {
      text += c.toString();
    });
    await waitUntil(() => /Connected to the gateway/.test(text), "the connected post", 20_000);
    expect(text).toMatch(/tradewarden DEMO/);
    expect(text).toMatch(/No real broker, no Discord/);
    app.proc.kill("SIGTERM");
    expect(await app.exited).toBe(0);
  });

  it("refuses a bad environment with exit code 2 and one line per problem", async () => {
    const app = run({ IB_PORT: "abc", HEARTBEAT_S: "0" });
    expect(await app.exited).toBe(2);
    const lines = app.stderr().trim().split("\n").slice(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/IB_PORT: "abc" is not a port number.*IB_PORT=4004/);
    expect(lines[1]).toMatch(/HEARTBEAT_S/);
  });

  it("stops with exit code 2 and says what to fix when Discord refuses the token", async () => {
    const fake = await FakeDiscord.start();
    try {
      fake.failIdentify(4004);
      const app = run(fake.botEnv("300000000000000001"));
      expect(await app.exited).toBe(2);
      expect(app.stderr()).toMatch(/DISCORD_TOKEN/);
    } finally {
      await fake.close();
    }
  });
});
