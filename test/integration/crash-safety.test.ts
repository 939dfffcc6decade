import { afterEach, describe, expect, it } from "vitest";
import { orders, positions } from "../../src/store/index.js";
import { journalEntryOnly, startTradingWorld, type TradingWorld, until } from "../support/trading-world.js";
import { waitUntil } from "../support/wait.js";
import { elapse } from "../support/world.js";

let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

const atBroker = (ref: string) => w.sim.state().orders.filter((o) => o.orderRef === ref);

describe("killed at any step and started again", () => {
  it("journaled but never sent: the restart sends it once", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.kill();
    // The process died right after writing the journal row.
    await journalEntryOnly(w, p);
    await w.boot();
    await w.quiet();
    expect(atBroker(p.orderRef)).toHaveLength(1);
    expect((await orders.orderByRef(w.db, p.orderRef))?.state).toBe("acknowledged");
    await w.restart();
    expect(atBroker(p.orderRef)).toHaveLength(1);
  });

  it("sent but not acknowledged: matched by orderRef, never sent twice", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    const row = await w.trading.entries.place(p);
    await w.kill();
    // The acknowledgement never made it into the journal before the process died.
    await orders.updateOrderState(w.db, row.id, { state: "transmitted", permId: null }, w.clock.now());
    await w.boot();
    await w.quiet();
    expect(atBroker(p.orderRef)).toHaveLength(1);
    const after = await orders.orderByRef(w.db, p.orderRef);
    expect(after).toMatchObject({ state: "acknowledged", broker_order_id: row.broker_order_id });
    expect(after?.perm_id).toBeGreaterThan(0);
  });

  it("entry filled while the bot was down: the fill is applied once and the exits attached", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    await w.kill();
    w.sim.fill({ orderRef: p.orderRef }, p.limit);
    await w.boot();
    const pos = await until(
      w,
      async () => (await positions.openPositions(w.db))[0],
      "the recovered position",
    );
    expect(pos).toMatchObject({ quantity: -1, entry_price: p.limit });
    const exits = w.sim.state().openOrders.filter((o) => o.ocaGroup === `tw:oca:${pos.id}:1`);
    expect(exits.map((o) => o.orderType).sort()).toEqual(["LMT", "STP"]);
    await w.restart();
    await w.quiet();
    expect(await positions.openPositions(w.db)).toHaveLength(1);
    expect(w.sim.state().openOrders.filter((o) => o.contract.conId === pos.con_id)).toHaveLength(2);
    expect(w.chat.count("fill")).toBe(1);
  });

  it("killed between the entry's fill and its exits: the restart attaches them", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    w.trading.lifecycle.stop();
    w.sim.fill({ orderRef: p.orderRef }, p.limit);
    const [exec] = await w.supervisor.activeSession!.executions();
    await w.trading.fills.apply(exec!);
    await w.kill();
    const [pos] = await positions.openPositions(w.db);
    expect(await orders.ordersForPosition(w.db, pos!.id)).toHaveLength(1);
    await w.boot();
    await w.quiet();
    const exits = w.sim.state().openOrders.filter((o) => o.contract.conId === pos!.con_id);
    expect(exits.map((o) => o.orderType).sort()).toEqual(["LMT", "STP"]);
  });

  it("a gateway restart with new order ids: ours stay above every id the broker has seen", async () => {
    w = await startTradingWorld();
    const a = await w.adoptSeeded(625, 10);
    await w.trading.exits.attach(a.id, "test");
    await w.restart();
    const b = await w.adoptSeeded(629, 11);
    await w.trading.exits.attach(b.id, "test");
    const ids = w.sim
      .state()
      .orders.filter((o) => /^tw:(tp|sl):1[01]$/.test(o.orderRef))
      .map((o) => o.orderId);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(1_000_000);
  });

  it("positions that never come back: the journal is still recovered, nothing waits for ever", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.kill();
    await journalEntryOnly(w, p);
    w.sim.fault({ type: "stall", what: ["positions"] });
    const booted = w.boot();
    await waitUntil(() => w.supervisor.current.state === "connected", "connected");
    // The first refresh's request for positions, the recovery's, then the reconciliation's: each
    // gives up after 30 s, and the work goes on without them.
    await elapse(w, 100_000, { stepMs: 1_000 });
    await booted;
    expect(atBroker(p.orderRef)).toHaveLength(1);
    // While they stay stalled, a reconciliation fails with the reason instead of waiting for ever.
    const reconciled = w.trading.reconciler.run("test").then(
      () => "answered",
      (err: Error) => err.message,
    );
    await elapse(w, 31_000, { stepMs: 1_000 });
    expect(await reconciled).toBe("the gateway did not answer reqPositions within 30s");
  });
});
