import { type DatabaseHandle, openDatabase } from "../../src/store/database.js";
import type { NewOrder } from "../../src/store/orders.js";
import type { NewPosition } from "../../src/store/positions.js";

export const T0 = new Date("2026-02-04T14:42:00.000Z");

export function at(offsetS: number): Date {
  return new Date(T0.getTime() + offsetS * 1000);
}

export function memoryDatabase(): Promise<DatabaseHandle> {
  return openDatabase(":memory:");
}

/** The journal's trade: SELL 1 SPY 624P 2026-04-30 at 6.16. */
export const spyPut: NewPosition = {
  strategy: "spy-put",
  account: "DU1234567",
  conId: 812345678,
  symbol: "SPY",
  secType: "OPT",
  expiry: "20260430",
  strike: 624,
  right: "P",
  quantity: -1,
  entryPrice: 6.16,
  entryOrderRef: "tw:entry:2026-02-04:SPY-P",
  source: "strategy",
  openedAt: T0,
};

export function exitOrder(positionId: number, intent: "tp" | "sl"): NewOrder {
  return {
    orderRef: `tw:${intent}:${positionId}`,
    intent,
    positionId,
    conId: spyPut.conId,
    symbol: "SPY",
    secType: "OPT",
    expiry: "20260430",
    strike: 624,
    right: "P",
    action: "BUY",
    orderType: intent === "tp" ? "LMT" : "STP",
    quantity: 1,
    limitPrice: intent === "tp" ? 2.46 : null,
    auxPrice: intent === "sl" ? 18.48 : null,
    tif: "GTC",
    ocaGroup: `tw:oca:${positionId}`,
  };
}
