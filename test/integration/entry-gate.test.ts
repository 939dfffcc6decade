import { afterEach, describe, expect, it } from "vitest";
import { entryRuns } from "../../src/store/index.js";
import { startTradingWorld, type TradingWorld } from "../support/trading-world.js";
import { elapse } from "../support/world.js";

let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

const entriesAtBroker = () => w.sim.state().orders.filter((o) => o.orderRef.startsWith("tw:entry:"));
const catchUps = () =>
  w.chat.delivered.filter((d) => d.alert.type === "approval-requested" && d.alert.kind === "catch-up-entry");
const run = async () => (await entryRuns.entryRun(w.db, "spy-put", "2026-02-04"))?.status;

describe("the entry is gated by what it needs", () => {
  it("historical data farm broken at 09:35: shown as degraded, and the entry trades", async () => {
    w = await startTradingWorld({ startAt: "2026-02-04T14:34:00Z" });
    w.sim.fault({ type: "farm-broken", farm: "hmds" });
    await w.reach("degraded");
    expect(w.supervisor.current.brokenFarms).toEqual(["historical data farm ushmds"]);
    await elapse(w, 60_000, { stepMs: 5_000 });
    await w.trading.scheduler.runAt(w.clock.now());
    await w.quiet();
    expect(await run()).toBe("placed");
    expect(entriesAtBroker()).toHaveLength(1);
    expect(w.chat.types()).toEqual(expect.arrayContaining(["degraded", "entry-placed"]));
    expect(w.chat.types()).not.toContain("entry-missed");
  });

  it("market data farm broken at 09:35: missed, naming the farm", async () => {
    w = await startTradingWorld({ startAt: "2026-02-04T14:35:00Z" });
    w.sim.fault({ type: "farm-broken", farm: "market" });
    await w.reach("degraded");
    await w.trading.scheduler.runAt(w.clock.now());
    await w.quiet();
    expect(await run()).toBe("missed");
    const missed = w.chat.delivered.find((d) => d.alert.type === "entry-missed")?.alert;
    expect(missed).toMatchObject({ reason: expect.stringMatching(/market data farm is broken/) });
    expect(entriesAtBroker()).toEqual([]);
  });

  it("missed at the entry time (IB's connectivity lost), healthy again at 10:10 on the same socket: exactly one catch-up", async () => {
    // The entry at 10:05 instead of 09:35 only keeps the fake time to walk short.
    w = await startTradingWorld({ startAt: "2026-02-04T15:05:00Z", env: { ENTRY_CRON: "5 10 * * 1-5" } });
    w.sim.fault({ type: "connectivity-lost" });
    await w.reach("degraded");
    await w.trading.scheduler.runAt(w.clock.now());
    await w.quiet();
    expect(await run()).toBe("missed");
    expect(catchUps()).toHaveLength(0);

    await elapse(w, 5 * 60_000, { stepMs: 5_000 });
    expect(w.clock.now().toISOString()).toBe("2026-02-04T15:10:00.000Z");
    w.sim.fault({ type: "connectivity-restored" });
    await w.reach("connected");
    await w.trading.scheduler.flushed();
    await w.quiet();
    expect(catchUps()).toHaveLength(1);
    expect(await run()).toBe("awaiting-approval");

    // Another flap and recovery, and a fresh connect: still the one offer.
    w.sim.fault({ type: "farm-broken", farm: "market" });
    await w.reach("degraded");
    w.sim.fault({ type: "farm-ok", farm: "market" });
    await w.reach("connected");
    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    await elapse(w, 10_000);
    await w.reach("connected");
    await w.trading.scheduler.flushed();
    await w.quiet();
    expect(catchUps()).toHaveLength(1);
    expect(entriesAtBroker()).toEqual([]);
  });
});
