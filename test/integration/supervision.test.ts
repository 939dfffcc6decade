import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "../support/wait.js";
import { elapse, SETTINGS, simServerVersion, startWorld, type World } from "../support/world.js";

let w: World;
afterEach(async () => {
  await w?.close();
});

async function connected(): Promise<World> {
  w = await startWorld();
  await w.reach("connected");
  await waitUntil(() => w.supervisor.cache.account, "the first cache refresh");
  await w.deliver();
  return w;
}

/** States entered since index `from`. */
const statesSince = (from: number) => w.states.slice(from).map((s) => s.state);

describe("connection supervision against the simulator", () => {
  it("connects, learns the account and positions, and announces itself once", async () => {
    await connected();
    const s = w.supervisor.current;
    expect(s).toMatchObject({
      state: "connected",
      serverVersion: simServerVersion() ?? 193,
      accounts: ["DU1234567"],
      clientId: 7,
    });
    expect(w.supervisor.cache.positions).toHaveLength(4);
    expect(w.supervisor.cache.account?.NetLiquidation?.currency).toBe("USD");
    await waitUntil(() => w.supervisor.current.lastHeartbeatRttMs !== null, "a heartbeat reply");
    expect(w.chat.types()).toEqual(["connected"]);
  });

  it("stopped: reads disconnected at once, and says so without an alert", async () => {
    await connected();
    await w.supervisor.stop();
    expect(w.supervisor.current).toMatchObject({ state: "disconnected", reason: "the bot is stopping" });
    expect(w.supervisor.cache.positions).toBeUndefined();
    await w.deliver();
    expect(w.chat.types()).toEqual(["connected"]);
  });

  it("a dropped socket: disconnected at once, one alert; reconnects; one recovery after it settles", async () => {
    await connected();
    const mark = w.states.length;
    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    expect(w.supervisor.current.reason).toMatch(/closed the connection/);
    expect(w.supervisor.cache.positions).toBeUndefined();
    expect(w.chat.types()).toEqual(["connected", "disconnected"]);

    await elapse(w, SETTINGS.reconnectBaseMs);
    await w.reach("connected");
    expect(w.chat.types()).toEqual(["connected", "disconnected"]);
    await elapse(w, SETTINGS.settleMs + SETTINGS.heartbeatMs);
    expect(w.chat.types()).toEqual(["connected", "disconnected", "reconnected"]);
    expect(statesSince(mark)).toEqual(["disconnected", "connecting", "connected"]);
  });

  it("a hung gateway: the heartbeat finds it, status never says connected while it hangs", async () => {
    await connected();
    w.sim.fault({ type: "hang" });
    const mark = w.states.length;
    await elapse(w, SETTINGS.heartbeatMs + SETTINGS.heartbeatTimeoutMs, { gatewayAnswers: false });
    expect(w.supervisor.current.state).not.toBe("connected");
    expect(w.supervisor.current.reason).toMatch(/gateway not answering/);
    const disconnected = w.chat.delivered.filter((a) => a.alert.type === "disconnected");
    expect(disconnected).toHaveLength(1);
    expect(disconnected[0]?.alert).toMatchObject({
      reason: expect.stringMatching(/no heartbeat reply within 5s/),
    });

    // Reconnect attempts meet the same hung gateway: TCP opens, nothing answers.
    await elapse(w, 30_000, { gatewayAnswers: false });
    expect(statesSince(mark)).not.toContain("connected");
    expect(w.chat.types()).toEqual(["connected", "disconnected"]);

    w.sim.fault({ type: "clear" });
    await elapse(w, SETTINGS.reconnectCapMs + SETTINGS.handshakeTimeoutMs);
    await w.reach("connected");
    await elapse(w, SETTINGS.settleMs + SETTINGS.heartbeatMs);
    expect(w.chat.types()).toEqual(["connected", "disconnected", "reconnected"]);
  });

  it("1100 is degraded with one alert; 1102 restores, reconciles, and posts one recovery", async () => {
    await connected();
    const resyncs: unknown[] = [];
    w.supervisor.on("resync", (r) => resyncs.push(r));
    w.sim.fault({ type: "connectivity-lost" });
    await w.reach("degraded");
    expect(w.supervisor.current.reason).toMatch(/IB servers unreachable/);
    expect(w.supervisor.cache.positions).toBeUndefined();
    expect(w.chat.types()).toEqual(["connected", "degraded"]);

    w.sim.fault({ type: "connectivity-restored" });
    await w.reach("connected");
    expect(resyncs).toEqual([{ dataLost: false }]);
    await waitUntil(() => w.supervisor.cache.positions, "positions refreshed after 1102");
    await elapse(w, SETTINGS.settleMs + SETTINGS.heartbeatMs);
    expect(w.chat.types()).toEqual(["connected", "degraded", "restored"]);
  });

  it("1101 (data lost) renews data and asks for a reconcile", async () => {
    await connected();
    const resyncs: unknown[] = [];
    w.supervisor.on("resync", (r) => resyncs.push(r));
    w.sim.fault({ type: "connectivity-lost" });
    await w.reach("degraded");
    w.sim.fault({ type: "connectivity-restored", dataLost: true });
    await w.reach("connected");
    expect(resyncs).toEqual([{ dataLost: true }]);
    expect(w.supervisor.current.reason).toMatch(/data lost/);
  });

  it("a broken farm is degraded naming the farm; its recovery restores", async () => {
    await connected();
    w.sim.fault({ type: "farm-broken", farm: "market" });
    await w.reach("degraded");
    expect(w.supervisor.current.reason).toMatch(/market data farm/);
    expect(w.supervisor.current.brokenFarms).toEqual([expect.stringMatching(/market data farm/)]);
    w.sim.fault({ type: "farm-ok", farm: "market" });
    await w.reach("connected");
    await elapse(w, SETTINGS.settleMs + SETTINGS.heartbeatMs);
    expect(w.chat.types()).toEqual(["connected", "degraded", "restored"]);
  });

  it("client id in use: says so once while retrying, then recovers", async () => {
    await connected();
    w.sim.fault({ type: "client-id-in-use" });
    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    await elapse(w, 20_000);
    expect(w.supervisor.current.reason).toMatch(/client id 7 is already in use/);
    expect(w.chat.types()).toEqual(["connected", "disconnected", "client-id-in-use"]);
    w.sim.fault({ type: "clear" });
    await elapse(w, SETTINGS.reconnectCapMs);
    await w.reach("connected");
    await elapse(w, SETTINGS.settleMs + SETTINGS.heartbeatMs);
    expect(w.chat.types()).toEqual(["connected", "disconnected", "client-id-in-use", "reconnected"]);
  });

  it("a gateway that accepts TCP and never answers names the socat ports", async () => {
    w = await startWorld({ start: false });
    w.sim.fault({ type: "silent" });
    w.supervisor.start();
    await waitUntil(() => w.supervisor.connectStep === "tcp-open", "TCP open");
    await elapse(w, SETTINGS.handshakeTimeoutMs, { gatewayAnswers: false });
    await w.reach("disconnected");
    expect(w.supervisor.current.reason).toMatch(/accepted TCP but sent nothing/);
    expect(w.chat.types()).toEqual(["silent-handshake"]);
    expect(w.chat.delivered[0]?.alert).toMatchObject({
      advice: expect.stringMatching(/4004 \(paper\) \/ 4003 \(live\)/),
    });
  });

  it("ten drops in a minute are one alert with a count, then one recovery", async () => {
    await connected();
    for (let i = 0; i < 10; i++) {
      w.sim.fault({ type: "drop" });
      await w.reach("disconnected");
      await elapse(w, SETTINGS.reconnectCapMs);
      await w.reach("connected");
    }
    await elapse(w, SETTINGS.settleMs + SETTINGS.heartbeatMs);
    expect(w.chat.types()).toEqual(["connected", "disconnected", "reconnected"]);
    expect(w.chat.delivered[2]?.alert).toMatchObject({ drops: 10 });
  });

  it("a stalled cache part is reported stale once while connected, then fresh once", async () => {
    await connected();
    w.sim.fault({ type: "stall", what: ["positions"] });
    await elapse(w, SETTINGS.staleAfterMs + 35_000);
    expect(w.supervisor.current.state).toBe("connected");
    expect(w.chat.types()).toEqual(["connected", "stale"]);
    expect(w.chat.delivered[1]?.alert).toMatchObject({ part: "positions" });
    w.sim.fault({ type: "clear" });
    // The stalled request never answers; the next connection's refresh recovers it.
    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    await elapse(w, SETTINGS.reconnectCapMs);
    await w.reach("connected");
    await waitUntil(() => w.supervisor.cache.positions, "positions after reconnect");
    await elapse(w, SETTINGS.settleMs + SETTINGS.heartbeatMs);
    expect(w.chat.types()).toEqual(["connected", "stale", "disconnected", "fresh", "reconnected"]);
  });

  it("garbage frames from the gateway are survived", async () => {
    await connected();
    w.sim.fault({ type: "malformed-frame" });
    await elapse(w, SETTINGS.heartbeatMs * 2);
    expect(w.supervisor.current.state).toBe("connected");
    expect(w.chat.types()).toEqual(["connected"]);
  });

  it("a competing session is explained once", async () => {
    await connected();
    w.sim.fault({ type: "competing-session" });
    const session = w.supervisor.activeSession!;
    session.api.reqMktData(
      9001,
      { conId: 756733, symbol: "SPY", secType: "STK" as never, exchange: "SMART", currency: "USD" },
      "",
      true,
      false,
    );
    session.api.reqMktData(
      9002,
      { conId: 756733, symbol: "SPY", secType: "STK" as never, exchange: "SMART", currency: "USD" },
      "",
      true,
      false,
    );
    await waitUntil(async () => {
      await w.deliver();
      return w.chat.count("competing-session") > 0;
    }, "competing-session alert");
    await w.deliver();
    expect(w.chat.count("competing-session")).toBe(1);
    expect(w.chat.delivered.at(-1)?.alert).toMatchObject({
      advice: expect.stringMatching(/second IBKR username/),
    });
  });
});

describe("alerts are never lost", () => {
  it("alerts raised while the chat is down arrive later, once, in order", async () => {
    await connected();
    w.chat.failing = true;
    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    await elapse(w, SETTINGS.reconnectCapMs);
    await w.reach("connected");
    await elapse(w, SETTINGS.settleMs + SETTINGS.heartbeatMs);
    expect(w.chat.types()).toEqual(["connected"]);
    expect(w.chat.attempts).toBeGreaterThan(1);
    w.chat.failing = false;
    await elapse(w, 60_000);
    expect(w.chat.types()).toEqual(["connected", "disconnected", "reconnected"]);
    await elapse(w, 60_000);
    expect(w.chat.types()).toEqual(["connected", "disconnected", "reconnected"]);
  });
});
