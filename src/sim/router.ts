/** Routes one decoded request of a ready connection to its handler. */
import type { Connection } from "./connection.js";
import type { SimContext } from "./context.js";
import type { ClientRequest } from "./decode.js";
import * as enc from "./encode.js";
import type { StallTarget } from "./faults.js";
import * as data from "./handle-data.js";
import * as orders from "./handle-orders.js";

/** Handles the request; returns why it was ignored, if it was. */
export function route(ctx: SimContext, conn: Connection, req: ClientRequest): string | undefined {
  const stalled = (what: StallTarget) => ctx.modes.stall.includes(what);
  switch (req.type) {
    case "startApi":
      return "START_API sent twice";
    case "reqCurrentTime":
      conn.send(enc.currentTime(Math.floor(ctx.now().getTime() / 1000)));
      return;
    case "reqIds":
      conn.send(enc.nextValidId(ctx.exchange.nextOrderId(conn.clientId ?? 0)));
      return;
    case "reqManagedAccts":
      conn.send(enc.managedAccounts([...ctx.exchange.accounts]));
      return;
    case "reqPositions":
      if (stalled("positions")) return "stall";
      data.sendPositions(ctx, conn);
      return;
    case "cancelPositions":
      conn.positionsSubscribed = false;
      return;
    case "reqOpenOrders":
    case "reqAutoOpenOrders":
    case "reqAllOpenOrders":
      if (stalled("orders")) return "stall";
      orders.sendOpenOrders(ctx, conn, req.type === "reqAllOpenOrders");
      return;
    case "placeOrder":
      orders.placeOrder(ctx, conn, req.orderId, req.contract, req.order);
      return;
    case "cancelOrder":
      orders.cancelOrder(ctx, conn, req.orderId);
      return;
    case "globalCancel":
      ctx.exchange.globalCancel();
      return;
    case "reqExecutions":
      if (stalled("executions")) return "stall";
      orders.sendExecutions(ctx, conn, req.reqId, req.filter);
      return;
    case "reqCompletedOrders":
      if (stalled("completed-orders")) return "stall";
      orders.sendCompletedOrders(ctx, conn, req.apiOnly);
      return;
    case "reqContractData":
      data.sendContractDetails(ctx, conn, req.reqId, req.contract);
      return;
    case "reqSecDefOptParams":
      data.sendSecDefOptParams(ctx, conn, req.reqId, req.symbol, req.conId);
      return;
    case "reqMktData":
      data.requestMarketData(ctx, conn, req.reqId, req.contract, req.snapshot);
      return;
    case "cancelMktData":
      conn.streams.delete(req.reqId);
      return;
    case "reqAccountSummary":
      if (stalled("account")) return "stall";
      data.sendAccountSummary(ctx, conn, req.reqId, req.tags);
      return;
    case "reqAccountUpdates":
      if (stalled("account")) return "stall";
      data.subscribeAccountUpdates(ctx, conn, req.subscribe, req.acctCode);
      return;
    case "reqMarketDataType":
      conn.marketDataType = req.marketDataType;
      return;
    case "cancelAccountSummary":
    case "setServerLogLevel":
      return;
  }
}
