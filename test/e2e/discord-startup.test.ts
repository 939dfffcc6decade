import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { loadConfig } from "../../src/config.js";
import { FakeDiscord, PERM } from "../support/fake-discord/index.js";
import { waitUntil } from "../support/wait.js";

const TSX = join("node_modules", ".bin", "tsx");
const OPERATOR = "300000000000000001";

let fake: FakeDiscord | undefined;
let child: ChildProcessWithoutNullStreams | undefined;
let app: App | undefined;
let dir: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
  await app?.stop();
  app = undefined;
  await fake?.close();
  fake = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  // Stopping the whole app (simulator, trading, Discord) is slow on a loaded 2-core machine.
}, 60_000);

/** `npm start` as a process, in demo mode (the simulator in-process) on the fake Discord. */
function run(env: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), "tw-discord-"));
  const proc = spawn(TSX, ["src/main.ts"], {
    env: { PATH: process.env.PATH ?? "", DB_PATH: join(dir, "tw.db"), HEALTH_PORT: "0", ...env },
  });
  child = proc;
  let stderr = "";
  proc.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  proc.stdout.resume();
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return { exited, stderr: () => stderr };
}

describe("starting on Discord", () => {
  it("exits 2 naming DISCORD_CHANNEL_ID when the channel is wrong", async () => {
    fake = await FakeDiscord.start();
    const bot = run({ ...fake.botEnv(OPERATOR), DISCORD_CHANNEL_ID: "123456789012345678" });
    expect(await bot.exited).toBe(2);
    expect(bot.stderr()).toMatch(/^ {2}DISCORD_CHANNEL_ID: there is no channel 123456789012345678/m);
    expect(bot.stderr()).not.toContain(fake.token);
  });

  it("exits 2 naming the permission the bot lacks in the channel", async () => {
    fake = await FakeDiscord.start();
    fake.denyBot(PERM.sendMessages);
    const bot = run(fake.botEnv(OPERATOR));
    expect(await bot.exited).toBe(2);
    expect(bot.stderr()).toMatch(/^ {2}Discord: the bot lacks Send Messages in #trading/m);
  });

  it("supervises the broker while Discord is down at boot, then delivers the alerts once it is back", async () => {
    fake = await FakeDiscord.start();
    fake.setDown(true);
    const logs: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const loaded = loadConfig({ ...fake.botEnv(OPERATOR), DB_PATH: ":memory:", HEALTH_PORT: "0" });
    if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
    app = await startApp(loaded.config, {
      logger: pino({ level: "info" }, sink),
      clock: systemClock,
      io: { input: new PassThrough(), output: new PassThrough() },
    });

    // The gateway is supervised and the bot healthy while Discord cannot be reached at all.
    await waitUntil(
      () => app?.supervisor.current.state === "connected",
      "connected to the simulator",
      20_000,
    );
    await waitUntil(
      () => logs.some((l) => String(l.msg).startsWith("DISCORD UNREACHABLE")),
      "a failed login, said loudly",
      20_000,
    );
    const health = await waitUntil(() => {
      const h = app?.ops.health();
      return h?.healthy && !h.alertsDelivering ? h : null;
    }, "the broker supervised and healthy, alerts held back");
    expect(health).toMatchObject({ state: "connected", alertsDelivering: false });
    expect(fake.channelMessages()).toEqual([]);

    fake.setDown(false);
    await waitUntil(
      () => fake?.channelMessages().some((m) => m.embeds[0]?.title === "Connected to the gateway"),
      "the connected alert in the channel",
      30_000,
    );
    await waitUntil(() => fake?.gateway.connected, "the bot logged in", 30_000);
    const titles = fake.channelMessages().map((m) => m.embeds[0]?.title);
    expect(titles.filter((t) => t === "Connected to the gateway")).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toContain(fake.token);
  });
});
