import { afterEach, describe, expect, it } from "vitest";
import { orders, positions, trades } from "../../src/store/index.js";
import { startTradingWorld, type TradingWorld, until } from "../support/trading-world.js";
import { waitUntil } from "../support/wait.js";
import { elapse } from "../support/world.js";

let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

describe("exits and fills against the simulator", () => {
  it("attaches TP and SL as one OCA group at the broker, journaled first", async () => {
    w = await startTradingWorld();
    const pos = await w.adoptSeeded(625, 10);
    const result = await w.trading.exits.attach(pos.id, "test");

    const atBroker = w.sim
      .state()
      .openOrders.filter((o) => o.orderRef.startsWith("tw:") && o.contract.conId === pos.con_id);
    expect(atBroker.map((o) => [o.orderRef, o.action, o.orderType, o.lmtPrice ?? o.auxPrice, o.tif])).toEqual(
      expect.arrayContaining([
        ["tw:tp:10", "BUY", "LMT", expect.any(Number), "GTC"],
        ["tw:sl:10", "BUY", "STP", expect.any(Number), "GTC"],
      ]),
    );
    expect(new Set(atBroker.map((o) => o.ocaGroup))).toEqual(new Set(["tw:oca:10:1"]));
    expect(atBroker.every((o) => o.ocaType === 2 && o.orderId >= 1_000_000)).toBe(true);
    expect(atBroker.find((o) => o.orderType === "STP")?.triggerMethod).toBe(8);
    expect(result.tp.state).toBe("acknowledged");
    expect(result.sl.state).toBe("acknowledged");
    const credit = pos.entry_price;
    expect(result.tp.limit_price).toBeCloseTo(Math.round(credit * 40) / 100, 2);
    expect(result.sl.aux_price).toBeCloseTo(Math.round(credit * 300) / 100, 2);
    await w.quiet();
    expect(w.chat.types()).toContain("exits-attached");
  });

  it("a TP fill closes the position, records the trade with P&L, cancels the SL, and posts the fill", async () => {
    w = await startTradingWorld();
    const pos = await w.adoptSeeded(625, 10);
    await w.trading.exits.attach(pos.id, "test");
    w.sim.fill({ orderRef: "tw:tp:10" });

    const closed = await until(
      w,
      async () => {
        const p = await positions.positionById(w.db, pos.id);
        return p?.status === "closed" ? p : undefined;
      },
      "the position closed",
    );
    expect(closed).toMatchObject({ close_reason: "tp" });
    const [trade] = await trades.tradesForPosition(w.db, pos.id);
    expect(trade).toMatchObject({ reason: "tp", quantity: -1 });
    expect(trade!.pnl).toBeGreaterThan(0);

    const sl = w.sim.state().orders.find((o) => o.orderRef === "tw:sl:10");
    expect(sl?.status).toBe("Cancelled");
    await until(
      w,
      async () => (await orders.orderByRef(w.db, "tw:sl:10"))?.state === "cancelled",
      "SL journaled as cancelled",
    );
    const fill = w.chat.delivered.find((d) => d.alert.type === "fill");
    expect(fill?.alert).toMatchObject({ intent: "tp", side: "BOT", positionId: pos.id, pnl: trade!.pnl });
  });

  it("an SL fill closes the position at a loss", async () => {
    w = await startTradingWorld();
    const pos = await w.adoptSeeded(629, 11);
    await w.trading.exits.attach(pos.id, "test");
    w.sim.fill({ orderRef: "tw:sl:11" });
    await until(w, async () => (await positions.positionById(w.db, pos.id))?.status === "closed", "closed");
    const [trade] = await trades.tradesForPosition(w.db, pos.id);
    expect(trade).toMatchObject({ reason: "sl" });
    expect(trade!.pnl).toBeLessThan(0);
    expect(w.sim.state().orders.find((o) => o.orderRef === "tw:tp:11")?.status).toBe("Cancelled");
  });

  it("a replayed execution is not applied twice", async () => {
    w = await startTradingWorld();
    const pos = await w.adoptSeeded(632, 16);
    await w.trading.exits.attach(pos.id, "test");
    w.sim.fill({ orderRef: "tw:tp:16" });
    await until(w, async () => (await trades.tradesForPosition(w.db, pos.id)).length === 1, "one trade");
    w.sim.fault({ type: "duplicate-execution" });
    const replay = await w.supervisor.activeSession!.executions();
    for (const e of replay) await w.trading.lifecycle.afterFill(await w.trading.fills.apply(e));
    await w.quiet();
    expect(await trades.tradesForPosition(w.db, pos.id)).toHaveLength(1);
    const rows = await w.db.selectFrom("executions").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(w.chat.count("fill")).toBe(1);
  });

  it("a rejected exit is journaled as rejected and alerted", async () => {
    w = await startTradingWorld();
    const pos = await w.adoptSeeded(625, 10);
    w.sim.fault({ type: "reject-next-order" });
    const result = await w.trading.exits.attach(pos.id, "test");
    expect(result.tp.state).toBe("rejected");
    await w.quiet();
    const alert = w.chat.delivered.find((d) => d.alert.type === "order-rejected");
    expect(alert?.alert).toMatchObject({ orderRef: "tw:tp:10", code: 201 });
  });

  describe("an execution whose handling fails (a database locked past its busy timeout)", () => {
    /** The next `times` executions fail to apply, as a locked or full database makes them. */
    function failApplying(times: number): () => number {
      const apply = w.trading.fills.apply.bind(w.trading.fills);
      let calls = 0;
      w.trading.fills.apply = async (e) => {
        if (calls++ < times) throw new Error("SQLITE_BUSY: database is locked");
        return apply(e);
      };
      return () => calls;
    }
    const status = async (id: number) => (await positions.positionById(w.db, id))?.status;

    it("is retried, in order, and applied once", async () => {
      w = await startTradingWorld();
      const pos = await w.adoptSeeded(625, 10);
      await w.trading.exits.attach(pos.id, "test");
      const calls = failApplying(2);
      w.sim.fill({ orderRef: "tw:tp:10" });
      await waitUntil(() => calls() === 1, "the first attempt to fail");
      await elapse(w, 4_000);
      expect(await until(w, () => status(pos.id), "the position's status")).toBe("closed");
      expect(w.chat.count("fill")).toBe(1);
    });

    it("past its retries, the execution is still applied once: the short gone from the broker is settled from the day's executions", async () => {
      w = await startTradingWorld();
      const pos = await w.adoptSeeded(625, 10);
      await w.trading.exits.attach(pos.id, "test");
      const calls = failApplying(5);
      w.sim.fill({ orderRef: "tw:tp:10" });
      await waitUntil(() => calls() === 1, "the first attempt to fail");
      await elapse(w, 20_000);
      expect(calls()).toBeGreaterThanOrEqual(5);
      await elapse(w, 300_000, { stepMs: 5_000 });
      expect(
        await until(w, async () => (await status(pos.id)) === "closed", "closed from the executions"),
      ).toBe(true);
      expect((await positions.positionById(w.db, pos.id))?.close_reason).toBe("tp");
      expect(w.chat.count("fill")).toBe(1);
    });
  });
});
