import {
  type Contract,
  EventName,
  type Execution,
  type Order,
  OrderAction,
  OrderType,
  TimeInForce,
} from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId, type RequestInfo } from "../../src/sim/index.js";
import { connectIbApi, connectRaw, simEvent, startSim, TEST_NOW } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);
const PUT_600: Contract = { conId: optionConId(EXPIRY, 600, "P"), exchange: "SMART" };
const sellMarket = {
  action: OrderAction.SELL,
  orderType: OrderType.MKT,
  totalQuantity: 1,
  tif: TimeInForce.DAY,
  transmit: true,
} as Order;
const farOffLimit = { ...sellMarket, orderType: OrderType.LMT, lmtPrice: 90 } as Order;

describe("faults", () => {
  it("drop: the client sees disconnected; the server keeps listening", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    sim.fault({ type: "drop" });
    await c.next(EventName.disconnected);
    const again = await connectIbApi(sim, 1);
    again.ib.reqCurrentTime();
    await again.next(EventName.currentTime);
  });

  it("hang: nothing is answered (not even new handshakes) until clear, then the held requests are", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    sim.fault({ type: "hang" });
    const sentBefore = sim.state().connections[0]!.framesOut;
    const held = simEvent<RequestInfo>(sim, "held", (r) => r.msgId === 49);
    c.ib.reqCurrentTime();
    await held;
    const newcomerHeld = simEvent<RequestInfo>(sim, "held", (r) => r.type === "handshake");
    const raw = await connectRaw(sim);
    await newcomerHeld;
    const [conn] = sim.state().connections;
    expect(conn?.framesOut).toBe(sentBefore);
    expect(conn?.heldFrames).toBe(1);
    expect(c.all(EventName.currentTime)).toEqual([]);
    expect(raw.frames.items).toEqual([]);

    sim.fault({ type: "clear" });
    await c.next(EventName.currentTime);
    await raw.frames.waitFor((f) => f[0] === "193", "server version after clear");
  });

  it("silent: new connections get TCP but never a server version; existing ones carry on", async () => {
    const sim = await startSim({ seed: "empty" });
    const existing = await connectIbApi(sim, 1);
    sim.fault({ type: "silent" });
    const silenced = simEvent(sim, "silenced");
    const c = await connectIbApi(sim, 2, { waitForNextValidId: false });
    await silenced;
    existing.ib.reqCurrentTime();
    await existing.next(EventName.currentTime);
    expect(c.all(EventName.server)).toEqual([]);
    expect(c.all(EventName.connected)).toEqual([]);
    expect(sim.state().connections.filter((x) => x.silent)).toHaveLength(1);
    sim.fault({ type: "clear" });
    const later = await connectIbApi(sim, 3);
    expect(later.all(EventName.nextValidId)).toEqual([[1]]);
  });

  it("connectivity-lost: 1100 on info, 2110 for newcomers, orders accepted but not filled; restored: 1102 / 1101", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    sim.fault({ type: "connectivity-lost" });
    const lost = await c.infos.waitFor((i) => i.code === 1100, "1100");
    expect(lost.message).toBe("Connectivity between IBKR and Trader Workstation has been lost.");
    const newcomer = await connectIbApi(sim, 2);
    await newcomer.infos.waitFor((i) => i.code === 2110, "2110");
    expect(c.errors.items.filter((e) => [1100, 2110].includes(e.code))).toEqual([]);

    c.ib.placeOrder(10, PUT_600, sellMarket);
    await c.next(EventName.orderStatus, (id, s) => id === 10 && s === "Submitted");
    expect(sim.state().executions).toEqual([]);

    sim.fault({ type: "connectivity-restored" });
    const kept = await c.infos.waitFor((i) => i.code === 1102, "1102");
    expect(kept.message).toContain("restored - data maintained");
    await c.next(EventName.orderStatus, (id, s) => id === 10 && s === "Filled");
    sim.fault({ type: "connectivity-lost" });
    sim.fault({ type: "connectivity-restored", dataLost: true });
    await c.infos.waitFor((i) => i.code === 1101, "1101");
  });

  it("a fill while connectivity is lost: reported after 1102, never after 1101 (reqExecutions still has it)", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    for (const [orderId, dataLost] of [
      [1_000_000, false],
      [1_000_001, true],
    ] as const) {
      c.ib.placeOrder(orderId, PUT_600, farOffLimit);
      await c.next(EventName.orderStatus, (id, st) => id === orderId && st === "Submitted");
      sim.fault({ type: "connectivity-lost" });
      const execution = sim.fill({ orderId, clientId: 1 });
      sim.fault({ type: "connectivity-restored", dataLost });
      await c.infos.waitFor((i) => i.code === (dataLost ? 1101 : 1102), "the restore");
      c.ib.reqExecutions(7 + orderId, {});
      await c.next(EventName.execDetailsEnd, (reqId) => reqId === 7 + orderId);
      const seen = c
        .all(EventName.execDetails)
        .map(([reqId, , e]) => [reqId, (e as Execution).execId])
        .filter(([, id]) => id === execution.execId);
      // Unasked (-1) only when the data was kept; always in the answer to reqExecutions.
      expect(seen).toEqual([...(dataLost ? [] : [[-1, execution.execId]]), [7 + orderId, execution.execId]]);
    }
  });

  it("farm-broken / farm-ok: 2103/2104, 2105/2106, 2157/2158 with IB's wording; newcomers get the current status", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    await c.infos.waitFor((i) => i.code === 2107, "the last connect-time notice");
    const atConnect = c.infos.items.length;
    sim.fault({ type: "farm-broken" });
    sim.fault({ type: "farm-broken", farm: "hmds" });
    sim.fault({ type: "farm-broken", farm: "secdef" });
    const broken = await c.infos.waitFor((i) => i.code === 2157, "2157");
    expect(broken.message).toBe("Sec-def data farm connection is broken:secdefnj");
    const newcomer = await connectIbApi(sim, 2);
    await newcomer.infos.waitFor((i) => i.code === 2157, "2157 at connect");
    await newcomer.infos.waitFor((i) => i.code === 2107, "the last connect-time notice");
    // A broken market-data farm is not also announced OK under its other names.
    expect(newcomer.infos.items.map((i) => i.code)).toEqual([2103, 2105, 2157, 2119, 2108, 2107]);
    sim.fault({ type: "farm-ok", farm: "market" });
    const ok = await c.infos.waitFor(
      (i) => i.code === 2104 && c.infos.items.indexOf(i) >= atConnect,
      "2104 again",
    );
    expect(ok.message).toBe("Market data farm connection is OK:usfarm");
    expect(c.infos.items.slice(atConnect).map((i) => [i.code, i.message])).toEqual([
      [2103, "Market data farm connection is broken:usfarm"],
      [2105, "HMDS data farm connection is broken:ushmds"],
      [2157, "Sec-def data farm connection is broken:secdefnj"],
      [2104, "Market data farm connection is OK:usfarm"],
    ]);
  });

  it("client-id-in-use: every new connection gets 326 and is closed until clear", async () => {
    const sim = await startSim({ seed: "empty" });
    sim.fault({ type: "client-id-in-use" });
    const c = await connectIbApi(sim, 7, { waitForNextValidId: false });
    await c.infos.waitFor((i) => i.code === 326, "326");
    await c.next(EventName.disconnected);
    sim.fault({ type: "clear" });
    const again = await connectIbApi(sim, 7);
    expect(again.infos.items.map((i) => i.code)).not.toContain(326);
  });

  it("reject-next-order: 201 on the error event with the order id, then Cancelled; the next order is accepted", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    sim.fault({ type: "reject-next-order", reason: "Insufficient margin" });
    c.ib.placeOrder(1_000_000, PUT_600, farOffLimit);
    const rejected = await c.errors.waitFor((e) => e.code === 201, "201");
    expect(rejected).toMatchObject({
      reqId: 1_000_000,
      message: "Order rejected - reason:Insufficient margin",
    });
    await c.next(EventName.orderStatus, (id, s) => id === 1_000_000 && s === "Cancelled");
    expect(c.all(EventName.openOrder)).toEqual([]);
    c.ib.placeOrder(1_000_001, PUT_600, farOffLimit);
    await c.next(EventName.orderStatus, (id, s) => id === 1_000_001 && s === "Submitted");
  });

  it("inactive-next-order: 201 with the reason and orderStatus Inactive; it never fills and can be cancelled", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    sim.fault({ type: "inactive-next-order" });
    c.ib.placeOrder(20, PUT_600, sellMarket);
    await c.next(EventName.orderStatus, (id, s) => id === 20 && s === "Inactive");
    const e201 = await c.errors.waitFor((e) => e.reqId === 20, "201");
    expect(e201.code).toBe(201);
    sim.setPrice("SPY", 600);
    expect(sim.state().executions).toEqual([]);
    c.ib.placeOrder(21, PUT_600, sellMarket);
    await c.next(EventName.orderStatus, (id, s) => id === 21 && s === "Filled");
    c.ib.cancelOrder(20);
    await c.next(EventName.orderStatus, (id, s) => id === 20 && s === "Cancelled");
  });

  it("warn-next-order: 399 or 2109 on the order id while the order is accepted and works", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    sim.fault({ type: "warn-next-order", code: 399 });
    c.ib.placeOrder(30, PUT_600, farOffLimit);
    const w399 = await c.errors.waitFor((e) => e.reqId === 30, "399");
    expect(w399.code).toBe(399);
    expect(w399.message).toContain("Warning: your order will not be placed at the exchange until");
    await c.next(EventName.orderStatus, (id, s) => id === 30 && s === "Submitted");
    sim.fault({ type: "warn-next-order", code: 2109 });
    c.ib.placeOrder(31, PUT_600, sellMarket);
    const w2109 = await c.errors.waitFor((e) => e.reqId === 31, "2109");
    expect(w2109.message).toMatch(
      /^Order Event Warning: Attribute 'Outside Regular Trading Hours' is ignored/,
    );
    await c.next(EventName.orderStatus, (id, s) => id === 31 && s === "Filled");
    c.ib.placeOrder(32, PUT_600, farOffLimit);
    await c.next(EventName.orderStatus, (id) => id === 32);
    expect(c.errors.items.filter((e) => e.reqId === 32)).toEqual([]);
  });

  it("duplicate-execution: the last execution and its commission report arrive again with the same execId", async () => {
    const sim = await startSim();
    const c = await connectIbApi(sim, 7);
    const { execId } = sim.fill({ orderId: JOURNAL.puts[0].exits.tpOrderId });
    await c.next(EventName.commissionReport);
    sim.fault({ type: "duplicate-execution" });
    await c.next(EventName.commissionReport, () => c.all(EventName.commissionReport).length === 2);
    const ids = c.all(EventName.execDetails).map(([reqId, , e]) => [reqId, (e as Execution).execId]);
    expect(ids).toEqual([
      [-1, execId],
      [-1, execId],
    ]);
  });

  it("malformed-frame: the client reports decode errors (505) and keeps answering", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1, { allowDecodeErrors: true });
    sim.fault({ type: "malformed-frame" });
    c.ib.reqCurrentTime();
    await c.next(EventName.currentTime);
    const decodeErrors = c.errors.filter((e) => e.code === 505);
    expect(decodeErrors.length).toBeGreaterThan(0);
    expect(decodeErrors.every((e) => e.reqId === -1)).toBe(true);
    expect(decodeErrors[0]?.message).toContain("No parser implementation found");
    expect(c.ib.isConnected).toBe(true);
  });

  it("stall: positions, open orders and account summary go unanswered while heartbeats are answered", async () => {
    const sim = await startSim();
    const c = await connectIbApi(sim, 7);
    sim.fault({ type: "stall", what: ["positions", "orders", "account"] });
    const ignored: RequestInfo[] = [];
    sim.on("request", (r) => {
      if (r.ignored) ignored.push(r);
    });
    c.ib.reqPositions();
    c.ib.reqOpenOrders();
    c.ib.reqAccountSummary(3, "All", "NetLiquidation");
    c.ib.reqCurrentTime();
    await c.next(EventName.currentTime);
    expect(ignored.map((r) => [r.type, r.ignored])).toEqual([
      ["reqPositions", "stall"],
      ["reqOpenOrders", "stall"],
      ["reqAccountSummary", "stall"],
    ]);
    expect(c.all(EventName.positionEnd)).toEqual([]);
    expect(c.all(EventName.openOrderEnd)).toEqual([]);
    expect(c.all(EventName.accountSummaryEnd)).toEqual([]);
    sim.fault({ type: "clear" });
    c.ib.reqPositions();
    await c.next(EventName.positionEnd);
  });

  it("stall one request type: executions (a string) or open-orders (alias) go unanswered; the rest is answered", async () => {
    const sim = await startSim();
    const c = await connectIbApi(sim, 7);
    sim.fault({ type: "stall", what: "executions" });
    expect(sim.modes.stall).toEqual(["executions"]);
    const ignored: RequestInfo[] = [];
    sim.on("request", (r) => {
      if (r.ignored) ignored.push(r);
    });
    c.ib.reqExecutions(4, {});
    c.ib.reqPositions();
    await c.next(EventName.positionEnd);
    c.ib.reqOpenOrders();
    await c.next(EventName.openOrderEnd);
    expect(ignored.map((r) => r.type)).toEqual(["reqExecutions"]);
    expect(c.all(EventName.execDetailsEnd)).toEqual([]);
    sim.fault({ type: "stall", what: ["open-orders", "completed-orders"] });
    expect(sim.modes.stall).toEqual(["executions", "orders", "completed-orders"]);
    c.ib.reqAllOpenOrders();
    c.ib.reqCurrentTime();
    await c.next(EventName.currentTime);
    expect(ignored.map((r) => r.type)).toEqual(["reqExecutions", "reqAllOpenOrders"]);
    sim.fault({ type: "clear" });
    c.ib.reqExecutions(5, {});
    await c.next(EventName.execDetailsEnd, (reqId) => reqId === 5);
    expect(() => sim.fault({ type: "stall", what: "quotes" } as never)).toThrow();
  });

  it("competing-session: market data requests get 10197 on their request id until clear", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 1);
    sim.fault({ type: "competing-session" });
    c.ib.reqMktData(77, PUT_600, "", true, false);
    const e = await c.errors.waitFor((x) => x.reqId === 77, "10197");
    expect(e).toMatchObject({ code: 10197, message: "No market data during competing live session" });
    sim.fault({ type: "clear" });
    c.ib.reqMktData(78, PUT_600, "", true, false);
    await c.next(EventName.tickSnapshotEnd, (reqId) => reqId === 78);
  });

  it("rejects an invalid fault description", async () => {
    const sim = await startSim({ seed: "empty" });
    expect(() => sim.fault({ type: "stall", what: [] })).toThrow();
    expect(() => sim.fault({ type: "nope" } as never)).toThrow();
    expect(() => sim.fault({ type: "duplicate-execution" })).toThrow(/no execution yet/);
  });
});
