import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { ConsoleChat } from "../../src/bot/console/console-chat.js";
import { startHealthServer } from "../../src/bot/health-server.js";
import { Ops } from "../../src/bot/ops.js";
import { waitUntil } from "../support/wait.js";
import { elapse, SETTINGS, simServerVersion, startWorld, type World } from "../support/world.js";

let w: World;
let closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
  await w?.close();
});

function opsFor(world: World): Ops {
  return new Ops({
    mode: "demo",
    db: world.db,
    clock: world.clock,
    supervisor: world.supervisor,
    staleAfterMs: SETTINGS.staleAfterMs,
  });
}

/** A console chat on in-memory streams, answering in JSON lines. */
function consoleFor(ops: Ops) {
  const input = new PassThrough();
  const output = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  let buffer = "";
  output.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
      lines.push(JSON.parse(buffer.slice(0, i)));
      buffer = buffer.slice(i + 1);
    }
  });
  const chat = new ConsoleChat({ ops, mode: "demo", json: true, input, output });
  chat.start();
  closers.push(() => chat.stop());
  return {
    async ask(line: string) {
      const before = lines.length;
      input.write(`${line}\n`);
      return waitUntil(() => lines[before], `a reply to ${line}`);
    },
  };
}

describe("/status through the Ops facade", () => {
  it("shows mode, state, heartbeat, server version, account, cache ages and positions", async () => {
    w = await startWorld();
    await w.reach("connected");
    await waitUntil(
      () => w.supervisor.cache.account && w.supervisor.current.lastHeartbeatRttMs !== null,
      "sync",
    );
    const chat = consoleFor(opsFor(w));
    const reply = await chat.ask("/status");
    expect(reply).toMatchObject({
      kind: "reply",
      command: "status",
      ok: true,
      data: {
        mode: "demo",
        state: "connected",
        serverVersion: simServerVersion() ?? 193,
        account: "DU1234567",
        brokerPositions: 4,
        brokerOpenOrders: 2,
        stale: [],
        cacheAgesMs: { positions: 0, orders: 0, account: 0 },
      },
    });
    expect(reply.text).toMatch(/Mode: DEMO/);
    expect(reply.text).toMatch(/Connection: CONNECTED/);
    expect(reply.text).toMatch(/round trip/);
  });

  it("never says connected once the heartbeat has found a hung gateway", async () => {
    w = await startWorld();
    await w.reach("connected");
    const chat = consoleFor(opsFor(w));
    w.sim.fault({ type: "hang" });
    for (let i = 0; i < 40 && w.supervisor.current.state === "connected"; i++) {
      await elapse(w, 500, { gatewayAnswers: false });
    }
    const reply = await chat.ask("/status");
    expect(reply.data).toMatchObject({
      state: expect.not.stringMatching(/^connected$/),
      brokerPositions: null,
    });
    expect(reply.text).toMatch(/gateway not answering/);
    expect(reply.text).toMatch(/positions unknown/);
  });

  it("an outage counts from its first drop, not from the latest retry, and is one ping", async () => {
    w = await startWorld();
    await w.reach("connected");
    const chat = consoleFor(opsFor(w));
    w.sim.fault({ type: "silent" });
    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    await elapse(w, 53_000, { stepMs: 1_000, gatewayAnswers: false });
    const reply = await chat.ask("/status");
    expect(reply.data).toMatchObject({ state: expect.stringMatching(/^(disconnected|connecting)$/) });
    expect((reply.data as { forMs: number }).forMs).toBeGreaterThanOrEqual(53_000);
    await w.deliver();
    expect(w.chat.types().filter((t) => t === "disconnected")).toHaveLength(1);
  });

  it("answers an unknown command with an error that says what to do", async () => {
    w = await startWorld({ start: false });
    const chat = consoleFor(opsFor(w));
    expect(await chat.ask("/frobnicate")).toMatchObject({ ok: false, text: expect.stringMatching(/\/help/) });
    expect(await chat.ask("sim drop")).toMatchObject({ ok: false, text: expect.stringMatching(/demo mode/) });
  });
});

describe("GET /healthz", () => {
  it("is 200 with JSON when connected and fresh, 503 when the gateway is gone", async () => {
    w = await startWorld();
    const health = await startHealthServer(opsFor(w), "127.0.0.1", 0);
    closers.push(() => health.close());
    const url = `http://127.0.0.1:${health.port}/healthz`;

    await w.reach("connected");
    await waitUntil(() => w.supervisor.cache.account, "first refresh");
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ healthy: true, state: "connected", mode: "demo", stale: [] });

    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    const down = await fetch(url);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ healthy: false, state: "disconnected" });
    expect((await fetch(`http://127.0.0.1:${health.port}/nope`)).status).toBe(404);
  });

  it("is 503 while connected but with a stale cache part", async () => {
    w = await startWorld();
    const health = await startHealthServer(opsFor(w), "127.0.0.1", 0);
    closers.push(() => health.close());
    await w.reach("connected");
    await waitUntil(() => w.supervisor.cache.account, "first refresh");
    w.sim.fault({ type: "stall", what: ["account"] });
    await elapse(w, SETTINGS.staleAfterMs + 35_000);
    const res = await fetch(`http://127.0.0.1:${health.port}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ healthy: false, state: "connected", stale: ["account"] });
  });
});
