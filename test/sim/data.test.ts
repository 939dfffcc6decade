import { type Contract, type ContractDetails, EventName, SecType } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId, SPY_CONID } from "../../src/sim/index.js";
import { connectIbApi, startSim, TEST_NOW } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);

describe("positions and account", () => {
  it("sends the journal's four short puts with avgCost per contract, then streams a close as pos 0", async () => {
    const sim = await startSim();
    const c = await connectIbApi(sim, 1);
    c.ib.reqPositions();
    await c.next(EventName.positionEnd);
    const rows = c.all(EventName.position).map(([account, k, pos, avgCost]) => {
      const contract = k as Contract;
      return [
        account,
        contract.symbol,
        contract.secType,
        contract.lastTradeDateOrContractMonth,
        contract.strike,
        contract.right,
        contract.multiplier,
        pos,
        avgCost,
      ];
    });
    expect(rows).toEqual(
      JOURNAL.puts.map((p) => [
        "DU1234567",
        "SPY",
        "OPT",
        EXPIRY,
        p.strike,
        "P",
        100,
        -1,
        Math.round(p.credit * 100),
      ]),
    );
    sim.fill({ orderRef: JOURNAL.puts[0].exits.tpRef });
    const [, k, pos] = await c.next(EventName.position, (_a, _k, p: number) => p === 0);
    expect((k as Contract).strike).toBe(624);
    expect(pos).toBe(0);
    c.ib.cancelPositions();
    c.ib.reqCurrentTime();
    await c.next(EventName.currentTime);
    expect(sim.state().connections.find((x) => x.clientId === 1)?.positionsSubscribed).toBe(false);
  });

  it("answers the account summary with the model's values in USD", async () => {
    const sim = await startSim();
    const c = await connectIbApi(sim, 1);
    const tags =
      "NetLiquidation,TotalCashValue,BuyingPower,AvailableFunds,ExcessLiquidity,MaintMarginReq,GrossPositionValue";
    c.ib.reqAccountSummary(9, "All", tags);
    await c.next(EventName.accountSummaryEnd, (reqId) => reqId === 9);
    const values = Object.fromEntries(
      c.all(EventName.accountSummary).map(([, , tag, value]) => [tag, Number(value)]),
    );
    expect(Object.keys(values).sort()).toEqual(tags.split(",").sort());
    expect(values.TotalCashValue).toBe(250_000);
    expect(values.NetLiquidation).toBeLessThan(250_000);
    expect(values.MaintMarginReq).toBeGreaterThan(0);
    expect(values.ExcessLiquidity).toBeCloseTo(values.NetLiquidation! - values.MaintMarginReq!, 2);
    expect(
      c
        .all(EventName.accountSummary)
        .every(
          ([reqId, account, , , currency]) => reqId === 9 && account === "DU1234567" && currency === "USD",
        ),
    ).toBe(true);
    c.ib.cancelAccountSummary(9);
    c.ib.reqManagedAccts();
    await c.next(EventName.managedAccounts, () => c.all(EventName.managedAccounts).length === 2);
  });
});

describe("contracts and market data", () => {
  it("gives SPY contract details with US/Eastern sessions: Thanksgiving CLOSED, 13:00 early close", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    c.ib.reqContractDetails(5, { symbol: "SPY", secType: SecType.STK, exchange: "SMART", currency: "USD" });
    await c.next(EventName.contractDetailsEnd, (reqId) => reqId === 5);
    const [[, details]] = c.all(EventName.contractDetails) as [[number, ContractDetails]];
    expect(details.contract.conId).toBe(SPY_CONID);
    expect(details.timeZoneId).toBe("US/Eastern");
    expect(details.minTick).toBe(0.01);
    expect(details.liquidHours).toContain("20261124:0930-20261124:1600");
    expect(details.liquidHours).toContain("20261126:CLOSED");
    expect(details.liquidHours).toContain("20261127:0930-20261127:1300");
    expect(details.liquidHours).toContain("20261128:CLOSED");
    expect(details.tradingHours).toContain("20261124:0400-20261124:2000");
    expect(details.liquidHours?.startsWith("20261120:0930-20261120:1600")).toBe(true);
  });

  it("finds an option by conId, by expiry+strike+right, and all strikes of an expiry", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    const conId = optionConId(EXPIRY, 624, "P");
    c.ib.reqContractDetails(1, { conId, exchange: "SMART" });
    const spec = {
      symbol: "SPY",
      secType: SecType.OPT,
      lastTradeDateOrContractMonth: EXPIRY,
      exchange: "SMART",
      currency: "USD",
    };
    c.ib.reqContractDetails(2, { ...spec, strike: 624, right: "P" as never });
    c.ib.reqContractDetails(3, { ...spec, right: "P" as never });
    await c.next(EventName.contractDetailsEnd, (reqId) => reqId === 3);
    const byReq = (reqId: number) =>
      c
        .all(EventName.contractDetails)
        .filter(([r]) => r === reqId)
        .map(([, d]) => d as ContractDetails);
    const [one] = byReq(1);
    expect(one?.contract).toMatchObject({
      conId,
      strike: 624,
      right: "P",
      multiplier: 100,
      lastTradeDateOrContractMonth: EXPIRY,
      tradingClass: "SPY",
    });
    expect(one).toMatchObject({
      underConId: SPY_CONID,
      realExpirationDate: EXPIRY,
      minTick: 0.01,
      timeZoneId: "US/Eastern",
    });
    expect(one?.liquidHours).toContain("20261126:CLOSED");
    expect(one?.tradingHours).toContain("20261127:0930-20261127:1315");
    expect(byReq(2).map((d) => d.contract.conId)).toEqual([conId]);
    const strikes = byReq(3).map((d) => d.contract.strike);
    expect(strikes).toEqual(sim.market.strikesFor(EXPIRY));
    expect(strikes[0]).toBe(510);
    expect(strikes.at(-1)).toBe(850);
  });

  it("answers an unknown contract with error 200 on the request id", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    c.ib.reqContractDetails(7, { symbol: "QQQ", secType: SecType.STK, exchange: "SMART", currency: "USD" });
    c.ib.reqMktData(8, { conId: 123, exchange: "SMART" }, "", true, false);
    const e7 = await c.errors.waitFor((e) => e.reqId === 7, "200 for reqId 7");
    expect(e7).toMatchObject({ code: 200, message: "No security definition has been found for the request" });
    await c.errors.waitFor((e) => e.reqId === 8 && e.code === 200, "200 for reqId 8");
  });

  it("lists the option chain: one row per exchange (SMART first), SPY, 100, weekly and month-end expirations, the union of strikes", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    c.ib.reqSecDefOptParams(4, "SPY", "", SecType.STK, SPY_CONID);
    await c.next(EventName.securityDefinitionOptionParameterEnd, (reqId) => reqId === 4);
    const [[, exchange, underConId, tradingClass, multiplier, expirations, strikes]] = c.all(
      EventName.securityDefinitionOptionParameter,
    ) as [[number, string, number, string, number, string[], number[]]];
    expect([exchange, underConId, tradingClass, multiplier]).toEqual(["SMART", SPY_CONID, "SPY", 100]);
    expect(expirations[0]).toBe("20261120");
    expect(expirations).toContain("20261127");
    expect(expirations).toContain("20261130");
    expect(expirations).toContain("20261224");
    expect(expirations).not.toContain("20261225");
    expect(expirations).toContain(EXPIRY);
    expect(expirations.at(-1)! <= "20270519").toBe(true);
    expect(strikes).toEqual(sim.market.strikes);
    const rows = c.all(EventName.securityDefinitionOptionParameter).map(([, ex]) => ex);
    expect(rows).toEqual(["SMART", "CBOE", "AMEX", "BATS", "BOX", "CBOE2", "ISE", "NASDAQOM", "PHLX"]);
  });

  it("sends a put snapshot with bid/ask/last/close and a model computation with negative delta", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    c.ib.reqMarketDataType(1);
    c.ib.reqMktData(20, { conId: optionConId(EXPIRY, 624, "P"), exchange: "SMART" }, "", true, false);
    await c.next(EventName.tickSnapshotEnd, (reqId) => reqId === 20);
    const prices = Object.fromEntries(
      c.all(EventName.tickPrice).map(([, type, price]) => [type, price as number]),
    );
    expect(
      Object.keys(prices)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 4, 9]);
    expect(prices[1]).toBeLessThan(prices[2]!);
    // The decoder derives sizes from TICK_PRICE but drops BID_SIZE: its tick type is 0, which it tests as falsy.
    expect(c.all(EventName.tickSize).map(([, type]) => type)).toEqual([3, 5]);
    const computations = c.all(EventName.tickOptionComputation) as number[][];
    expect(computations.map(([, type]) => type)).toEqual([10, 11, 12, 13]);
    const [, tickType, , iv, delta, optPrice, , gamma, vega, theta, undPrice] = computations[3]!;
    expect(tickType).toBe(13);
    expect(iv).toBe(0.2);
    expect(delta).toBeLessThan(0);
    expect(delta).toBeGreaterThan(-0.5);
    expect(optPrice).toBeGreaterThan(prices[1]!);
    expect(optPrice).toBeLessThan(prices[2]!);
    expect(gamma).toBeGreaterThan(0);
    expect(vega).toBeGreaterThan(0);
    expect(theta).toBeLessThan(0);
    expect(undPrice).toBe(680);
  });

  it("streams new ticks after a price move until the subscription is cancelled", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    c.ib.reqMktData(
      30,
      { symbol: "SPY", secType: SecType.STK, exchange: "SMART", currency: "USD" },
      "",
      false,
      false,
    );
    await c.next(EventName.tickPrice, (reqId, type, price) => reqId === 30 && type === 4 && price === 680);
    sim.setPrice("SPY", 600);
    await c.next(EventName.tickPrice, (reqId, type, price) => reqId === 30 && type === 4 && price === 600);
    c.ib.cancelMktData(30);
    c.ib.reqCurrentTime();
    await c.next(EventName.currentTime);
    sim.setPrice("SPY", 610);
    c.ib.reqCurrentTime();
    await c.next(EventName.currentTime, () => c.all(EventName.currentTime).length === 2);
    expect(c.all(EventName.tickPrice).some(([, , price]) => price === 610)).toBe(false);
    expect(c.all(EventName.tickSnapshotEnd)).toEqual([]);
  });
});
