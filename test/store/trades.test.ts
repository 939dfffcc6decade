import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/store/database.js";
import { insertPosition } from "../../src/store/positions.js";
import {
  recentTrades,
  recordTrade,
  tradePnl,
  tradesForPosition,
  tradesSince,
} from "../../src/store/trades.js";
import { at, memoryDatabase, spyPut, T0 } from "./fixtures.js";

describe("tradePnl", () => {
  it.each([
    {
      what: "short put closed at TP",
      quantity: -1,
      entryPrice: 6.16,
      exitPrice: 2.46,
      commission: 2.1,
      pnl: 367.9,
    },
    {
      what: "short put stopped out",
      quantity: -1,
      entryPrice: 6.08,
      exitPrice: 18.24,
      commission: 0,
      pnl: -1216,
    },
    {
      what: "two short contracts expire",
      quantity: -2,
      entryPrice: 6.16,
      exitPrice: 0,
      commission: 0,
      pnl: 1232,
    },
    { what: "a long position", quantity: 1, entryPrice: 2, exitPrice: 3, commission: 1, pnl: 99 },
  ])("$what", ({ quantity, entryPrice, exitPrice, commission, pnl }) => {
    expect(tradePnl({ quantity, entryPrice, exitPrice, commission, multiplier: 100 })).toBe(pnl);
  });
});

describe("trades", () => {
  let store: DatabaseHandle;
  beforeEach(async () => {
    store = await memoryDatabase();
  });
  afterEach(() => store.close());

  it("records a trade with its P&L and lists trades", async () => {
    const position = await insertPosition(store.db, spyPut, T0);
    const trade = await recordTrade(store.db, {
      positionId: position.id,
      quantity: -1,
      entryPrice: 6.16,
      exitPrice: 2.46,
      multiplier: 100,
      commission: 2.1,
      reason: "tp",
      openedAt: T0,
      closedAt: at(86_400),
    });
    expect(trade).toMatchObject({ pnl: 367.9, reason: "tp", closed_at: at(86_400).toISOString() });
    expect(await recentTrades(store.db, 5)).toEqual([trade]);
    expect(await tradesSince(store.db, at(86_401))).toEqual([]);
    expect(await tradesForPosition(store.db, position.id)).toEqual([trade]);
  });
});
