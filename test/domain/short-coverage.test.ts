import { describe, expect, it } from "vitest";
import { uncoveredShorts } from "../../src/trading/domain/short-coverage.js";

const put = (conId: number, quantity: number) => ({
  account: "DU1",
  quantity,
  contract: { conId, symbol: "SPY", secType: "OPT", strike: 600, right: "P" as const, expiry: "20270212" },
});
const exit = (conId: number, orderType: string, quantity: number, orderId: number) => ({
  orderId,
  orderRef: orderType === "LMT" ? `tw:tp:${orderId}` : `tw:sl:${orderId}`,
  account: "DU1",
  action: "BUY" as const,
  orderType,
  quantity,
  status: "Submitted",
  contract: { conId },
});

describe("uncoveredShorts: the broker's shorts without a working TP and SL for their whole size", () => {
  it.each([
    ["covered", [put(1, -1)], [exit(1, "LMT", 1, 11), exit(1, "STP", 1, 12)], []],
    ["no exits at all", [put(1, -1)], [], [{ conId: 1, short: 1, tp: 0, sl: 0 }]],
    [
      "a TP for half of it",
      [put(1, -2)],
      [exit(1, "LMT", 1, 11), exit(1, "STP", 2, 12)],
      [{ conId: 1, short: 2, tp: 1, sl: 2 }],
    ],
    ["a stop-limit counts as the SL", [put(1, -1)], [exit(1, "LMT", 1, 11), exit(1, "STP LMT", 1, 12)], []],
    [
      "exits on another contract do not count",
      [put(1, -1)],
      [exit(2, "LMT", 1, 11), exit(2, "STP", 1, 12)],
      [{ conId: 1, tp: 0, sl: 0 }],
    ],
    [
      "shares and longs are not shorts to cover",
      [{ ...put(3, 100), contract: { conId: 3, secType: "STK" } }, put(4, 1)],
      [],
      [],
    ],
  ])("%s", (_name, positions, orders, expected) => {
    expect(uncoveredShorts(positions, orders)).toMatchObject(expected);
    expect(uncoveredShorts(positions, orders)).toHaveLength(expected.length);
  });
});
