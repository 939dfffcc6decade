import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { FakeDiscord } from "../test/support/fake-discord/index.js";
import { type Figure, figure } from "./stats.js";

/** The production build (`node dist/main.js`, as in the Dockerfile), compiled once per bench run. */
const BUILD = resolve("node_modules/.cache/tradewarden-bench");
const READY = "ready: connected and reconciled";

function build(): string {
  rmSync(BUILD, { recursive: true, force: true });
  execFileSync(resolve("node_modules/.bin/tsc"), ["-p", "tsconfig.build.json", "--outDir", BUILD], {
    stdio: "inherit",
  });
  return join(BUILD, "main.js");
}

interface Bot {
  proc: ChildProcess;
  fake: FakeDiscord;
  dir: string;
  /** The process's own uptime when it logged that it was connected and reconciled. */
  readyAfterMs: number;
}

/** A demo bot (in-process simulator) on its own fake Discord; resolves when it is ready. */
async function startBot(main: string): Promise<Bot> {
  const fake = await FakeDiscord.start();
  const dir = mkdtempSync(join(tmpdir(), "tw-bench-"));
  const proc = spawn(process.execPath, [main], {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      TRADING_MODE: "demo",
      ...fake.botEnv("300000000000000001"),
      DB_PATH: join(dir, "tw.db"),
      HEALTH_PORT: "0",
      LOG_LEVEL: "info",
    },
  });
  const readyAfterMs = await new Promise<number>((done, fail) => {
    const lines = createInterface({ input: proc.stderr! });
    const seen: string[] = [];
    lines.on("line", (line) => {
      seen.push(line);
      const entry = parseJson(line);
      if (entry?.msg === READY && typeof entry.uptimeMs === "number") done(entry.uptimeMs);
    });
    proc.once("exit", (code) =>
      fail(new Error(`the bot exited (${code}) before ready:\n${seen.join("\n")}`)),
    );
  });
  return { proc, fake, dir, readyAfterMs };
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Resident set size in MB, from the kernel's view of the process. */
function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for process ${pid}`);
  return kb / 1024;
}

async function stopBot(bot: Bot): Promise<void> {
  const exited = new Promise((done) => bot.proc.once("exit", done));
  bot.proc.kill("SIGTERM");
  await exited;
  await bot.fake.close();
  rmSync(bot.dir, { recursive: true, force: true });
}

/**
 * Bots started one after another (each start timed alone), then all left idle together for
 * `idleS` with their heartbeats running, then each one's resident memory read.
 */
export async function processFigures(quick: boolean): Promise<Figure[]> {
  const main = build();
  const trials = quick ? 2 : 5;
  const idleS = quick ? 10 : 60;
  const bots: Bot[] = [];
  try {
    for (let i = 0; i < trials; i++) bots.push(await startBot(main));
    await new Promise((done) => setTimeout(done, idleS * 1000));
    const memory = bots.map((b) => residentMb(b.proc.pid!));
    const settings = {
      run: "node dist/main.js",
      mode: "demo (simulator in the same process)",
      chat: "fake Discord",
      node: process.version,
    };
    return [
      figure(
        "start_to_ready",
        "ms",
        bots.map((b) => b.readyAfterMs),
        {
          ...settings,
          from: "process start",
          to: "connected and reconciled",
        },
      ),
      figure("resident_memory_idle", "MB", memory, { ...settings, idleS }),
    ];
  } finally {
    await Promise.all(bots.map(stopBot));
  }
}
