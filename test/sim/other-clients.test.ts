import { type Contract, EventName, type Execution, type Order } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId, startControlServer } from "../../src/sim/index.js";
import { connectIbApi, onCleanup, startSim, TEST_NOW } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);
const PUT_625 = optionConId(EXPIRY, 625, "P");

describe("other clients' orders", () => {
  it("a manual TWS close (client 0) moves the bot's position; the bot hears no order news, only positions and what it asks for", async () => {
    const sim = await startSim();
    const bot = await connectIbApi(sim, 7);
    bot.ib.reqPositions();
    await bot.next(EventName.positionEnd);
    const manual = sim.placeOrder({
      conId: PUT_625,
      action: "BUY",
      quantity: 1,
      orderType: "LMT",
      lmtPrice: 3,
    });
    expect(manual).toMatchObject({ clientId: 0, status: "Submitted", account: "DU1234567" });

    bot.ib.reqAllOpenOrders();
    await bot.next(EventName.openOrderEnd);
    const listed = bot
      .all(EventName.openOrder)
      .map(([id, , o]) => [id, (o as Order).clientId])
      .filter(([id]) => id === manual.orderId);
    expect(listed).toEqual([[manual.orderId, 0]]);

    const execution = sim.fill({ orderId: manual.orderId, clientId: 0 });
    expect(execution).toMatchObject({ clientId: 0, price: 3, side: "BOT" });
    const [, closed, pos] = await bot.next(
      EventName.position,
      (_a, c: Contract, p: number) => c.conId === PUT_625 && p === 0,
    );
    expect((closed as Contract).conId).toBe(PUT_625);
    expect(pos).toBe(0);
    bot.ib.reqExecutions(5, {});
    const [, , replay] = (await bot.next(EventName.execDetails, (reqId) => reqId === 5)) as [
      number,
      Contract,
      Execution,
    ];
    expect(replay).toMatchObject({ execId: execution.execId, clientId: 0, orderId: manual.orderId });
    await bot.next(EventName.execDetailsEnd, (reqId) => reqId === 5);
    bot.ib.reqExecutions(6, { clientId: "7" });
    await bot.next(EventName.execDetailsEnd, (reqId) => reqId === 6);
    expect(bot.all(EventName.execDetails).filter(([reqId]) => reqId === 6)).toEqual([]);
    // Unsolicited news of the manual order never reached the bot.
    expect(bot.all(EventName.execDetails).filter(([reqId]) => reqId === -1)).toEqual([]);
    expect(
      bot.all(EventName.orderStatus).filter(([id, s]) => id === manual.orderId && s === "Filled"),
    ).toEqual([]);
  });

  it("another API client's order is heard by that client only", async () => {
    const sim = await startSim({ seed: "empty" });
    const bot = await connectIbApi(sim, 7);
    const other = await connectIbApi(sim, 9);
    const order = sim.placeOrder({
      clientId: 9,
      conId: PUT_625,
      action: "SELL",
      quantity: 2,
      orderType: "LMT",
      lmtPrice: 90,
      orderRef: "theirs",
    });
    const [, , o] = (await other.next(EventName.openOrder, (id) => id === order.orderId)) as [
      number,
      Contract,
      Order,
    ];
    expect(o).toMatchObject({ clientId: 9, orderRef: "theirs", totalQuantity: 2 });
    await other.next(EventName.orderStatus, (id, s) => id === order.orderId && s === "Submitted");
    bot.ib.reqCurrentTime();
    await bot.next(EventName.currentTime);
    expect(bot.all(EventName.openOrder)).toEqual([]);
    expect(() => sim.placeOrder({ conId: 1, action: "BUY", quantity: 1, orderType: "MKT" })).toThrow(/200/);
  });

  it("POST /order places a manual order; POST /fill with clientId 0 fills it", async () => {
    const sim = await startSim();
    const control = await startControlServer(sim);
    onCleanup(() => control.close());
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${control.port}${path}`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const placed = await post("/order", {
      conId: PUT_625,
      action: "BUY",
      quantity: 1,
      orderType: "LMT",
      lmtPrice: 3,
    });
    expect(placed.status).toBe(200);
    const orderId = (placed.json.order as { orderId: number }).orderId;
    const filled = await post("/fill", { orderId, clientId: 0 });
    expect(filled.json.execution).toMatchObject({ orderId, clientId: 0, price: 3 });
    expect(sim.state().positions.find((p) => p.conId === PUT_625)?.pos).toBe(0);
    expect((await post("/order", { conId: PUT_625, action: "HOLD" })).status).toBe(400);
    const refused = await post("/order", { conId: PUT_625, action: "BUY", quantity: 1, orderType: "LMT" });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toContain("201");
  });
});
