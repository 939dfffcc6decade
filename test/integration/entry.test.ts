import { afterEach, describe, expect, it } from "vitest";
import { orders, positions } from "../../src/store/index.js";
import { EntryError } from "../../src/trading/lifecycle/entry-service.js";
import { startTradingWorld, type TradingWorld, until } from "../support/trading-world.js";
import { elapse } from "../support/world.js";

let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

describe("the daily entry against the simulator", () => {
  it("previews a ~85-day ~0.15-delta put with a mid limit and its TP/SL", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    expect(p.orderRef).toBe("tw:entry:2026-02-04:SPY-P");
    expect(p.contract).toMatchObject({ symbol: "SPY", right: "P" });
    expect(p.dte).toBeGreaterThanOrEqual(70);
    expect(p.dte).toBeLessThanOrEqual(100);
    expect(Math.abs((p.delta ?? 0) + 0.15)).toBeLessThan(0.02);
    expect(p.limit).toBeGreaterThan(p.bid);
    expect(p.limit).toBeLessThanOrEqual(p.ask);
    expect(p.tp).toBeCloseTo(Math.round(p.limit * 40) / 100, 2);
    expect(p.sl).toBeCloseTo(Math.round(p.limit * 300) / 100, 2);
  });

  it("places the entry once: journaled, at the broker, and a second try is refused", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    const row = await w.trading.entries.place(p);
    expect(row.state).toBe("acknowledged");
    const atBroker = w.sim.state().openOrders.filter((o) => o.orderRef === p.orderRef);
    expect(atBroker).toHaveLength(1);
    expect(atBroker[0]).toMatchObject({
      action: "SELL",
      orderType: "LMT",
      lmtPrice: p.limit,
      totalQuantity: 1,
    });
    await expect(w.trading.entries.place(p)).rejects.toThrow(EntryError);
    await expect(w.trading.entries.place(p)).rejects.toThrow(/already placed/);
    expect(w.sim.state().orders.filter((o) => o.orderRef === p.orderRef)).toHaveLength(1);
  });

  it("when the entry fills: position recorded, exits attached at the broker, fill posted", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    w.sim.fill({ orderRef: p.orderRef }, p.limit);
    const pos = await until(w, async () => (await positions.openPositions(w.db))[0], "the position");
    expect(pos).toMatchObject({
      con_id: p.contract.conId,
      quantity: -1,
      entry_price: p.limit,
      source: "strategy",
    });
    await until(
      w,
      () => w.sim.state().openOrders.filter((o) => o.ocaGroup === `tw:oca:${pos.id}:1`).length === 2,
      "exits",
    );
    const exits = w.sim.state().openOrders.filter((o) => o.ocaGroup === `tw:oca:${pos.id}:1`);
    expect(exits.map((o) => [o.orderType, o.lmtPrice ?? o.auxPrice]).sort()).toEqual([
      ["LMT", p.tp],
      ["STP", p.sl],
    ]);
    expect(w.chat.types()).toEqual(expect.arrayContaining(["entry-placed", "fill", "exits-attached"]));
  });

  it("walks the limit toward the bid one step per interval, at the broker and in the journal", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    await elapse(w, 30_000, { stepMs: 5_000 });
    const expected = Math.max(p.floor, Math.round((p.limit - 0.05) * 100) / 100);
    const atBroker = () => w.sim.state().orders.find((o) => o.orderRef === p.orderRef);
    await until(w, () => atBroker()?.lmtPrice === expected, "re-priced at the broker");
    expect((await orders.orderByRef(w.db, p.orderRef))?.limit_price).toBe(expected);
    expect(atBroker()?.orderId).toBe((await orders.orderByRef(w.db, p.orderRef))?.broker_order_id);
  });

  it("refuses to preview while disconnected, saying why", async () => {
    w = await startTradingWorld();
    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    await expect(w.trading.entries.preview("2026-02-04")).rejects.toThrow(/not connected/);
  });
});
