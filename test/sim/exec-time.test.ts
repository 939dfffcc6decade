import { type Contract, EventName, type Execution, type Order, OrderAction, OrderType } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId, startControlServer } from "../../src/sim/index.js";
import { connectIbApi, onCleanup, startSim, TEST_NOW } from "./helpers.js";

const PUT_600: Contract = {
  conId: optionConId(expirationNear(TEST_NOW, JOURNAL.targetDte), 600, "P"),
  exchange: "SMART",
};
const sellMarket = {
  action: OrderAction.SELL,
  orderType: OrderType.MKT,
  totalQuantity: 1,
  tif: "DAY",
  transmit: true,
} as Order;

async function execTimeOf(c: Awaited<ReturnType<typeof connectIbApi>>, reqId: number): Promise<string> {
  c.ib.reqExecutions(reqId, {});
  const [, , e] = (await c.next(EventName.execDetails, (r) => r === reqId)) as [number, Contract, Execution];
  return e.time ?? "";
}

describe("execution time formats", () => {
  it("zone by default; legacy and utc by option; switchable with POST /exec-time-format", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    c.ib.placeOrder(1, PUT_600, sellMarket);
    const [, , live] = (await c.next(EventName.execDetails, (r) => r === -1)) as [
      number,
      Contract,
      Execution,
    ];
    expect(live.time).toBe("20261120 10:00:00 US/Eastern");
    const control = await startControlServer(sim);
    onCleanup(() => control.close());
    const post = (format: string) =>
      fetch(`http://127.0.0.1:${control.port}/exec-time-format`, {
        method: "POST",
        body: JSON.stringify({ format }),
      });
    expect((await post("utc")).status).toBe(200);
    expect(await execTimeOf(c, 2)).toBe("20261120-15:00:00");
    await post("legacy");
    expect(await execTimeOf(c, 3)).toBe("20261120  10:00:00");
    expect((await post("local")).status).toBe(400);

    const legacy = await startSim({ seed: "empty", execTimeFormat: "utc" });
    const l = await connectIbApi(legacy, 1);
    l.ib.placeOrder(1, PUT_600, sellMarket);
    const [, , e] = (await l.next(EventName.execDetails, (r) => r === -1)) as [number, Contract, Execution];
    expect(e.time).toBe("20261120-15:00:00");
  });
});
