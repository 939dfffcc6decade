import { EventName, SecType } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId, startControlServer } from "../../src/sim/index.js";
import { connectIbApi, onCleanup, startSim, TEST_NOW, type TestClient } from "./helpers.js";

const NEAR = expirationNear(TEST_NOW, JOURNAL.targetDte);
const put = (strike: number, expiry = NEAR) => ({
  conId: optionConId(expiry, strike, "P"),
  exchange: "SMART",
});

/** One snapshot: the tick types that came, the computations' tick types, and the errors on its id. */
async function snapshot(c: TestClient, reqId: number, contract: object, end = true) {
  c.ib.reqMktData(reqId, contract as never, "", true, false);
  if (end) await c.next(EventName.tickSnapshotEnd, (id) => id === reqId);
  else await c.errors.waitFor((e) => e.reqId === reqId, `an error on ${reqId}`);
  const mine = (name: EventName) => c.all(name).filter(([id]) => id === reqId);
  return {
    prices: mine(EventName.tickPrice).map(([, type]) => type),
    greeks: mine(EventName.tickOptionComputation).map(([, type]) => type),
    errors: c.errors.items.filter((e) => e.reqId === reqId).map((e) => e.code),
    params: mine(EventName.tickReqParams).length,
    types: mine(EventName.marketDataType).map(([, type]) => type),
  };
}

describe("options market data as a paper or live account gets it", () => {
  it("live: tickReqParams, then bid/ask/last/close and the bid, ask, last and model computations", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    const s = await snapshot(c, 11, put(624));
    expect(s).toMatchObject({ prices: [1, 2, 4, 9], greeks: [10, 11, 12, 13], errors: [], params: 1 });
  });

  it("delayed: 354 until reqMarketDataType(3), then 10167 and ticks 66/67/68/75 with greeks 80-83", async () => {
    const sim = await startSim({ seed: "empty", optionsData: "delayed" });
    const c = await connectIbApi(sim, 1);
    expect((await snapshot(c, 12, put(624), false)).errors).toEqual([354]);
    c.ib.reqMarketDataType(3);
    const s = await snapshot(c, 13, put(624));
    expect(s).toMatchObject({
      prices: [66, 67, 68, 75],
      greeks: [80, 81, 82, 83],
      errors: [10167],
      types: [3],
    });
    const stock = await snapshot(c, 14, { conId: 756733, exchange: "SMART" });
    expect(stock.prices).toEqual([1, 2, 4, 9]);
  });

  it("none: 354; with greeks off, 10090 and the default ticks without any computation", async () => {
    const sim = await startSim({ seed: "empty", optionsData: "none" });
    const c = await connectIbApi(sim, 1);
    expect((await snapshot(c, 15, put(624), false)).errors).toEqual([354]);
    sim.setMarketData({ greeks: false });
    const s = await snapshot(c, 16, put(624));
    expect(s).toMatchObject({ prices: [1, 2, 4, 9], greeks: [], errors: [10090] });
  });

  it("POST /market-data switches the account's options data", async () => {
    const sim = await startSim({ seed: "empty" });
    const server = await startControlServer(sim);
    onCleanup(() => server.close());
    const post = (body: unknown) =>
      fetch(`http://127.0.0.1:${server.port}/market-data`, { method: "POST", body: JSON.stringify(body) });
    expect((await post({ options: "delayed", greeks: false })).status).toBe(200);
    expect(sim.marketData).toEqual({ options: "delayed", greeks: false });
    expect((await post({ options: "sometimes" })).status).toBe(400);
  });

  it("quotes can take time (quoteLatencyMs) and still arrive, one answer per request", async () => {
    const sim = await startSim({ seed: "empty", quoteLatencyMs: [20, 60] });
    const c = await connectIbApi(sim, 1);
    const all = await Promise.all([21, 22, 23].map((id) => snapshot(c, id, put(620 + id - 21))));
    expect(all.map((s) => s.prices)).toEqual([
      [1, 2, 4, 9],
      [1, 2, 4, 9],
      [1, 2, 4, 9],
    ]);
  });
});

describe("strikes per expiry, as SPY lists them", () => {
  it("a far expiry lists $1 strikes near the money and $5 away; a union strike there is unknown (200)", async () => {
    const sim = await startSim({ seed: "empty" });
    const far = expirationNear(TEST_NOW, 120);
    const strikes = sim.market.strikesFor(far);
    expect(strikes).toContain(680);
    expect(strikes).toContain(679);
    expect(strikes).toContain(610);
    expect(strikes).not.toContain(611);
    expect(sim.market.strikesFor(NEAR)).toContain(611);
    expect(sim.market.strikes).toContain(611);
    const c = await connectIbApi(sim, 1);
    const spec = { symbol: "SPY", secType: SecType.OPT, exchange: "SMART", currency: "USD", right: "P" };
    c.ib.reqContractDetails(31, { ...spec, lastTradeDateOrContractMonth: far, strike: 611 } as never);
    await c.errors.waitFor((e) => e.reqId === 31 && e.code === 200, "200 for an unlisted strike");
    c.ib.reqContractDetails(32, { ...spec, lastTradeDateOrContractMonth: far } as never);
    await c.next(EventName.contractDetailsEnd, (id) => id === 32);
    const listed = c
      .all(EventName.contractDetails)
      .filter(([id]) => id === 32)
      .map(([, d]) => (d as { contract: { strike: number } }).contract.strike);
    expect(listed).toEqual(strikes);
  });
});
