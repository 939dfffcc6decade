/** Order requests: place/modify, cancel, global cancel, open orders and executions. */
import type { Connection } from "./connection.js";
import type { SimContext } from "./context.js";
import type { ContractSpec, ExecutionFilterSpec, OrderSpec } from "./decode.js";
import { type ExecTimeFormat, eastern, easternInstant, easternStamp, execTime } from "./eastern.js";
import * as enc from "./encode.js";
import { completedOrder } from "./encode-completed-order.js";
import { openOrder } from "./encode-open-order.js";
import type { PlaceRequest } from "./exchange.js";
import { MESSAGES } from "./faults.js";
import { findContracts } from "./lookup.js";
import type { Action, OrderType, SimContract, SimExecution, SimOrder } from "./types.js";

const ORDER_TYPES: readonly string[] = ["LMT", "STP", "STP LMT", "MKT"];

export function placeOrder(
  ctx: SimContext,
  conn: Connection,
  orderId: number,
  spec: ContractSpec,
  o: OrderSpec,
) {
  const clientId = conn.clientId ?? 0;
  const reject = (code: number, message: string) => conn.send(enc.errMsg(orderId, code, message));
  const matches = findContracts(spec, ctx.market);
  const contract = matches[0];
  if (!contract) return reject(200, MESSAGES.noSecDef);
  if (matches.length > 1)
    return reject(200, `The contract description specified for ${spec.symbol} is ambiguous.`);
  if (o.action !== "BUY" && o.action !== "SELL")
    return reject(201, `Order rejected - reason:Invalid action "${o.action}".`);
  if (!ORDER_TYPES.includes(o.orderType)) {
    return reject(
      201,
      `Order rejected - reason:Order type "${o.orderType}" is not supported by the simulator (LMT, STP, STP LMT, MKT).`,
    );
  }
  if (o.transmit === undefined) {
    ctx.log.warn(
      { clientId, orderId },
      "PLACE_ORDER with an empty transmit field; treating it as transmit=true",
    );
  }
  if (o.whatIf) return previewOrder(ctx, conn, orderId, contract, o);
  const rejectReason = ctx.modes.rejectNextOrder;
  ctx.modes.rejectNextOrder = undefined;
  const inactive = rejectReason === undefined ? ctx.modes.inactiveNextOrder : undefined;
  if (inactive !== undefined) ctx.modes.inactiveNextOrder = undefined;
  const warning = rejectReason === undefined && inactive === undefined ? ctx.modes.warnNextOrder : undefined;
  if (warning) ctx.modes.warnNextOrder = undefined;
  const result = ctx.exchange.place(
    clientId,
    placeRequest(orderId, contract, o, o.transmit ?? true),
    rejectReason === undefined ? { inactive: inactive !== undefined } : { reject: rejectReason },
  );
  if (result.ok) {
    if (inactive !== undefined) reject(201, inactive);
    if (warning) conn.send(enc.errMsg(orderId, warning.code, warning.message));
    return;
  }
  reject(result.code, result.message);
  if (result.order) conn.send(enc.orderStatus(result.order));
}

/** The exchange's view of a PLACE_ORDER's fields. */
function placeRequest(orderId: number, contract: SimContract, o: OrderSpec, transmit: boolean): PlaceRequest {
  return {
    orderId,
    contract,
    action: o.action as Action,
    totalQuantity: o.totalQuantity,
    orderType: o.orderType as OrderType,
    lmtPrice: o.lmtPrice,
    auxPrice: o.auxPrice,
    tif: o.tif || "DAY",
    ocaGroup: o.ocaGroup,
    ocaType: o.ocaType,
    account: o.account,
    orderRef: o.orderRef,
    parentId: o.parentId,
    transmit,
    outsideRth: o.outsideRth,
    triggerMethod: o.triggerMethod,
  };
}

/** whatIf: one OPEN_ORDER carrying the margin preview; the order is never live, never in the book. */
function previewOrder(
  ctx: SimContext,
  conn: Connection,
  orderId: number,
  contract: SimContract,
  o: OrderSpec,
) {
  const req = placeRequest(orderId, contract, o, true);

  const result = ctx.exchange.whatIf(req);
  if (!("preview" in result)) {
    if (!result.ok) conn.send(enc.errMsg(orderId, result.code, result.message));
    return;
  }
  const order: SimOrder = {
    ...req,
    account: req.account || ctx.exchange.account,
    clientId: conn.clientId ?? 0,
    permId: 0,
    status: "PreSubmitted",
    held: false,
    filled: 0,
    avgFillPrice: 0,
    lastFillPrice: 0,
  };
  conn.send(openOrder(order, result.preview));
}

export function cancelOrder(ctx: SimContext, conn: Connection, orderId: number) {
  const result = ctx.exchange.cancel(conn.clientId ?? 0, orderId);
  if (!result.ok) conn.send(enc.errMsg(orderId, result.code, result.message));
}

/** reqOpenOrders / reqAutoOpenOrders: this client's live orders; reqAllOpenOrders: everyone's. */
export function sendOpenOrders(ctx: SimContext, conn: Connection, all: boolean) {
  const orders = ctx.exchange.liveOrders(all ? undefined : conn.clientId);
  for (const order of orders) conn.sendAll([openOrder(order), enc.orderStatus(order)]);
  conn.send(enc.openOrderEnd());
}

/**
 * reqCompletedOrders(apiOnly): every order that ended (Filled, Cancelled, also OCA-cancelled and
 * expired), not just today's; apiOnly leaves out manual (client 0) orders.
 */
export function sendCompletedOrders(ctx: SimContext, conn: Connection, apiOnly: boolean) {
  for (const order of ctx.exchange.completedOrders()) {
    if (apiOnly && order.clientId === 0) continue;
    conn.send(completedOrder(order, easternStamp(new Date(order.completedTime ?? ctx.now()))));
  }
  conn.send(enc.completedOrdersEnd());
}

/** What the owner of an order hears when it changes. */
export function orderMessages(order: SimOrder, cause: string): enc.Fields[] {
  if (cause === "cancelled")
    return [enc.orderStatus(order), enc.errMsg(order.orderId, 202, MESSAGES.cancelled)];
  return [openOrder(order), enc.orderStatus(order)];
}

export function executionMessages(
  reqId: number,
  e: SimExecution,
  format: ExecTimeFormat = "zone",
): enc.Fields[] {
  return [enc.executionData(reqId, e, execTime(new Date(e.time), format)), enc.commissionReport(e)];
}

export function sendExecutions(
  ctx: SimContext,
  conn: Connection,
  reqId: number,
  filter: ExecutionFilterSpec,
) {
  const startOfDay = easternInstant(eastern(ctx.now()).ymd, 0).getTime();
  const since = Math.max(startOfDay, parseFilterTime(filter.time) ?? 0);
  const side = filter.side.toUpperCase();
  for (const e of ctx.exchange.executions()) {
    if (Date.parse(e.time) < since) continue;
    if (filter.clientId && e.clientId !== filter.clientId) continue;
    if (filter.acctCode && e.account !== filter.acctCode) continue;
    if (filter.symbol && e.contract.symbol !== filter.symbol.toUpperCase()) continue;
    if (filter.secType && e.contract.secType !== filter.secType.toUpperCase()) continue;
    if (
      side &&
      !(side === e.side || (side === "BUY" && e.side === "BOT") || (side === "SELL" && e.side === "SLD"))
    )
      continue;
    conn.sendAll(executionMessages(reqId, e, ctx.execTimeFormat));
  }
  conn.send(enc.executionDataEnd(reqId));
}

/** "yyyymmdd-hh:mm:ss" is UTC; "yyyymmdd hh:mm:ss" is US/Eastern. */
function parseFilterTime(text: string): number | undefined {
  const m = /^(\d{8})([- ])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text.trim());
  if (!m) return undefined;
  const [, ymd = "", sep, hh = "0", mm = "0", ss = "0"] = m;
  if (sep === "-") {
    return Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8), +hh, +mm, +ss);
  }
  return easternInstant(ymd, +hh, +mm).getTime() + +ss * 1000;
}
