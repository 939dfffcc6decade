import { type Contract, EventName, type Execution, type Order, OrderAction, OrderType } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId, startControlServer } from "../../src/sim/index.js";
import { connectIbApi, onCleanup, startSim, TEST_NOW } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);
const CONID = optionConId(EXPIRY, 600, "P");
const PUT_600: Contract = { conId: CONID, exchange: "SMART" };
const sell = {
  action: OrderAction.SELL,
  orderType: OrderType.LMT,
  lmtPrice: 90,
  totalQuantity: 2,
  tif: "DAY",
  transmit: true,
} as Order;

type Report = { execId: string; commission: number; realizedPNL?: number };

describe("execution corrections", () => {
  it("re-sends the execution with the next suffix and a commission report; replaces it in reqExecutions; avgCost and cash follow", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 7);
    c.ib.reqPositions();
    await c.next(EventName.positionEnd);
    c.ib.placeOrder(10, PUT_600, sell);
    await c.next(EventName.orderStatus, (id) => id === 10);
    const original = sim.fill({ orderId: 10 }, 6);
    const [, , , avgBefore] = await c.next(EventName.position, (_a, k: Contract) => k.conId === CONID);
    const cashBefore = sim.state().accountValues.TotalCashValue;

    const corrected = sim.correctExecution(original.execId, 6.1);
    expect(corrected.execId).toBe(original.execId.replace(/\.01$/, ".02"));
    const [, , exec] = (await c.next(
      EventName.execDetails,
      (_r, _k, e: Execution) => e.execId === corrected.execId,
    )) as [number, Contract, Execution];
    expect(exec).toMatchObject({ shares: 2, price: 6.1, orderId: 10, side: "SLD" });
    const [report] = (await c.next(
      EventName.commissionReport,
      (r: Report) => r.execId === corrected.execId,
    )) as [Report];
    expect(report.commission).toBe(original.commission);
    const [, , , avgAfter] = await c.next(
      EventName.position,
      (_a, k: Contract, _p, avg: number) => k.conId === CONID && avg !== avgBefore,
    );
    expect((avgAfter as number) - (avgBefore as number)).toBeCloseTo(10, 6);
    expect(sim.state().accountValues.TotalCashValue - cashBefore).toBeCloseTo(20, 6);

    c.ib.reqExecutions(3, {});
    await c.next(EventName.execDetailsEnd, (r) => r === 3);
    const replayed = c
      .all(EventName.execDetails)
      .filter(([r]) => r === 3)
      .map(([, , e]) => (e as Execution).execId);
    expect(replayed).toEqual([corrected.execId]);

    const again = sim.correctExecution(corrected.execId);
    expect(again).toMatchObject({ execId: original.execId.replace(/\.01$/, ".03"), price: 6.1 });
    expect(() => sim.correctExecution(original.execId)).toThrow(/no execution/);
  });

  it("a corrected closing execution changes its realized P&L; POST /correct-execution", async () => {
    const sim = await startSim({ seed: "empty" });
    const control = await startControlServer(sim);
    onCleanup(() => control.close());
    const c = await connectIbApi(sim, 7);
    c.ib.placeOrder(10, PUT_600, sell);
    await c.next(EventName.orderStatus, (id) => id === 10);
    sim.fill({ orderId: 10 }, 6);
    const close = sim.placeOrder({
      clientId: 7,
      conId: CONID,
      action: "BUY",
      quantity: 2,
      orderType: "LMT",
      lmtPrice: 0.05,
    });
    const closing = sim.fill({ orderId: close.orderId, clientId: 7 }, 3);
    const res = await fetch(`http://127.0.0.1:${control.port}/correct-execution`, {
      method: "POST",
      body: JSON.stringify({ execId: closing.execId, price: 3.5 }),
    });
    const { execution } = (await res.json()) as { execution: { execId: string; realizedPNL: number } };
    expect(execution.realizedPNL).toBeCloseTo((closing.realizedPNL ?? 0) - 100, 6);
    const [report] = (await c.next(
      EventName.commissionReport,
      (r: Report) => r.execId === execution.execId,
    )) as [Report];
    expect(report.realizedPNL).toBeCloseTo(execution.realizedPNL, 6);
  });
});
