import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "../support/wait.js";

const TSX = join("node_modules", ".bin", "tsx");
const children: ChildProcessWithoutNullStreams[] = [];
let dir = "";

afterEach(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  children.length = 0;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function spawnCollect(args: string[], env: Record<string, string>) {
  const proc = spawn(TSX, args, { env: { PATH: process.env.PATH ?? "", ...env } });
  children.push(proc);
  const state = { text: "" };
  proc.stdout.on("data", (c: Buffer) => {
    state.text += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return { proc, state, exited };
}

describe("npm run sim, driven from other processes", () => {
  it("serves a paper-mode bot over TCP and takes faults on its HTTP control API", async () => {
    const sim = spawnCollect(["src/sim/cli.ts", "--port", "0", "--control-port", "0"], { LOG_LEVEL: "warn" });
    const ports = await waitUntil(
      () => {
        const api = /TWS API:\s+127\.0\.0\.1:(\d+)/.exec(sim.state.text)?.[1];
        const control = /control API: http:\/\/127\.0\.0\.1:(\d+)/.exec(sim.state.text)?.[1];
        return api && control ? { api, control } : undefined;
      },
      "the simulator's ports",
      20_000,
    );
    const control = `http://127.0.0.1:${ports.control}`;
    const state = (await (await fetch(`${control}/state`)).json()) as { positions: unknown[] };
    expect(state.positions).toHaveLength(4);

    dir = mkdtempSync(join(tmpdir(), "tw-paper-"));
    const bot = spawnCollect(["src/main.ts"], {
      TRADING_MODE: "paper",
      IB_HOST: "127.0.0.1",
      IB_PORT: ports.api,
      CHAT: "console",
      CONSOLE_JSON: "1",
      DB_PATH: join(dir, "tw.db"),
      HEALTH_PORT: "0",
    });
    await waitUntil(() => /"type":"connected"/.test(bot.state.text), "the bot connected", 20_000);
    expect(bot.state.text).toMatch(/"mode":"PAPER"/);

    const bad = await fetch(`${control}/fault`, {
      method: "POST",
      body: JSON.stringify({ type: "explode" }),
    });
    expect(bad.status).toBe(400);
    const res = await fetch(`${control}/fault`, { method: "POST", body: JSON.stringify({ type: "drop" }) });
    expect(res.status).toBe(200);
    await waitUntil(() => /"type":"disconnected"/.test(bot.state.text), "the disconnected alert", 20_000);

    bot.proc.kill("SIGINT");
    sim.proc.kill("SIGINT");
    expect(await bot.exited).toBe(0);
    expect(await sim.exited).toBe(0);
  });
});
