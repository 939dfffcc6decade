import { type Contract, EventName } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { JOURNAL } from "../../src/sim/index.js";
import { connectIbApi, startSim } from "./helpers.js";

const ALL_TAGS = [
  "AccountType",
  "NetLiquidation",
  "TotalCashValue",
  "SettledCash",
  "AccruedCash",
  "BuyingPower",
  "EquityWithLoanValue",
  "PreviousDayEquityWithLoanValue",
  "GrossPositionValue",
  "RegTEquity",
  "RegTMargin",
  "SMA",
  "InitMarginReq",
  "MaintMarginReq",
  "AvailableFunds",
  "ExcessLiquidity",
  "Cushion",
  "FullInitMarginReq",
  "FullMaintMarginReq",
  "FullAvailableFunds",
  "FullExcessLiquidity",
  "LookAheadNextChange",
  "LookAheadInitMarginReq",
  "LookAheadMaintMarginReq",
  "LookAheadAvailableFunds",
  "LookAheadExcessLiquidity",
  "HighestSeverity",
  "DayTradesRemaining",
  "Leverage",
];

describe("account updates and the account summary", () => {
  it("reqAccountUpdates: values, portfolio, time and download end for the requested account only; positions then stream", async () => {
    const sim = await startSim({ accounts: ["DU1234567", "DU7654321"] });
    const c = await connectIbApi(sim, 7);
    c.ib.reqAccountUpdates(true, "DU1234567");
    const [end] = await c.next(EventName.accountDownloadEnd);
    expect(end).toBe("DU1234567");
    const values = c.all(EventName.updateAccountValue);
    expect(values.every(([, , , account]) => account === "DU1234567")).toBe(true);
    const byKey = Object.fromEntries(values.map(([key, value, currency]) => [key, [value, currency]]));
    expect(byKey.NetLiquidation?.[1]).toBe("USD");
    expect(Number(byKey.TotalCashValue?.[0])).toBe(250_000);
    const portfolio = c.all(EventName.updatePortfolio);
    expect(portfolio.map(([k]) => (k as Contract).strike)).toEqual(JOURNAL.puts.map((p) => p.strike));
    const [contract, pos, marketPrice, marketValue, avgCost, unrealized, , account] = portfolio[0]!;
    expect(contract).toMatchObject({ symbol: "SPY", secType: "OPT", right: "P", multiplier: 100 });
    expect(pos).toBe(-1);
    expect(marketValue).toBeCloseTo(-(marketPrice as number) * 100, 2);
    expect(avgCost).toBe(JOURNAL.puts[0].credit * 100);
    expect(unrealized).toBeCloseTo((marketValue as number) + (avgCost as number), 2);
    expect(account).toBe("DU1234567");
    expect(c.all(EventName.updateAccountTime)[0]?.[0]).toBe("10:00");

    sim.fill({ orderRef: JOURNAL.puts[0].exits.tpRef });
    const [closed, closedPos] = await c.next(EventName.updatePortfolio, (_k, p: number) => p === 0);
    expect((closed as Contract).strike).toBe(624);
    expect(closedPos).toBe(0);

    c.ib.reqAccountUpdates(false, "DU1234567");
    c.ib.reqAccountUpdates(true, "DU7654321");
    await c.next(EventName.accountDownloadEnd, (a) => a === "DU7654321");
    expect(c.all(EventName.updatePortfolio).filter(([, , , , , , , a]) => a === "DU7654321")).toEqual([]);
  });

  it("reqAccountSummary answers every documented tag asked for, one row per account, and nothing else", async () => {
    const sim = await startSim({ accounts: ["DU1234567", "DU7654321"] });
    const c = await connectIbApi(sim, 7);
    c.ib.reqAccountSummary(4, "All", ALL_TAGS.join(","));
    await c.next(EventName.accountSummaryEnd, (r) => r === 4);
    const rows = c.all(EventName.accountSummary);
    for (const account of ["DU1234567", "DU7654321"]) {
      expect(rows.filter(([, a]) => a === account).map(([, , tag]) => tag)).toEqual(ALL_TAGS);
    }
    const first = Object.fromEntries(
      rows.filter(([, a]) => a === "DU1234567").map(([, , t, v, cur]) => [t, [v, cur]]),
    );
    expect(first.AccountType).toEqual(["INDIVIDUAL", ""]);
    expect(first.Cushion?.[1]).toBe("");
    expect(Number(first.Cushion?.[0])).toBeGreaterThan(0);
    expect(Number(first.Cushion?.[0])).toBeLessThan(1);

    c.ib.reqAccountSummary(5, "All", "RegTMargin,ReqTEquity");
    await c.next(EventName.accountSummaryEnd, (r) => r === 5);
    expect(
      c
        .all(EventName.accountSummary)
        .filter(([r]) => r === 5)
        .map(([, a, t]) => [a, t]),
    ).toEqual([
      ["DU1234567", "ReqTEquity"],
      ["DU1234567", "RegTMargin"],
      ["DU7654321", "ReqTEquity"],
      ["DU7654321", "RegTMargin"],
    ]);
  });
});
