import { describe, expect, it } from "vitest";
import { markPnl, shortOptionPnl } from "../../src/trading/domain/pnl.js";

describe("shortOptionPnl", () => {
  it.each([
    { note: "624P: 6.16 credit, TP at 2.46", entry: 6.16, exit: 2.46, qty: -1, commission: 2.1, pnl: 367.9 },
    { note: "625P: SL at 18.24", entry: 6.08, exit: 18.24, qty: -1, commission: 2.1, pnl: -1218.1 },
    {
      note: "expired worthless, no closing commission",
      entry: 6.15,
      exit: 0,
      qty: -1,
      commission: 1.05,
      pnl: 613.95,
    },
    { note: "two contracts, sign ignored", entry: 5.94, exit: 2.38, qty: 2, commission: 0, pnl: 712 },
    { note: "float noise is removed", entry: 0.3, exit: 0.1, qty: -3, commission: 0, pnl: 60 },
  ])("$note -> $pnl", ({ entry, exit, qty, commission, pnl }) => {
    expect(shortOptionPnl({ entryPrice: entry, exitPrice: exit, quantity: qty, commission })).toBe(pnl);
  });

  it("takes a multiplier and defaults commission to 0", () => {
    expect(shortOptionPnl({ entryPrice: 6.16, exitPrice: 2.46, quantity: -1, multiplier: 10 })).toBe(37);
  });
});

describe("markPnl", () => {
  it.each([
    { entry: 6.16, mark: 2.46, qty: -1, pnl: 370, kept: 60.06 },
    { entry: 6.08, mark: 6.08, qty: -1, pnl: 0, kept: 0 },
    { entry: 6.08, mark: 18.24, qty: -1, pnl: -1216, kept: -200 },
    { entry: 6.15, mark: 3.1, qty: -2, pnl: 610, kept: 49.59 },
    { entry: 0, mark: 0.5, qty: -1, pnl: -50, kept: 0 },
  ])("entry $entry, mark $mark, qty $qty -> $pnl ($kept % kept)", ({ entry, mark, qty, pnl, kept }) => {
    expect(markPnl({ entryPrice: entry, mark, quantity: qty })).toEqual({ pnl, creditKeptPct: kept });
  });
});
