/**
 * Server -> client messages, field for field as @stoqey/ib's decoder.js reads them (no version
 * field where the decoder skips it); fields added after a server version are marked with
 * `since`, and the connection leaves them out for a client that negotiated an older one.
 */
import { type Field, since, until } from "./framing.js";
import { IN } from "./msg-ids.js";
import type { SimExecution, SimOrder, SimPosition } from "./types.js";
import { MIN } from "./versions.js";

/** Older than the versions in MIN, used only to shape the oldest messages. */
const ADVANCED_ORDER_REJECT = 166;
const PRICE_BASED_VOLATILITY = 156;

export type Fields = Field[];

export { SERVER_VERSION } from "./versions.js";
/** What IB sends for "no value" in a double field; the decoder turns it into undefined. */
export const DOUBLE_MAX = "1.7976931348623157E308";

export const serverHello = (version: number, connectionTime: string): Fields => [version, connectionTime];

export const errMsg = (id: number, code: number, message: string): Fields => [
  IN.ERR_MSG,
  2,
  id,
  code,
  message,
  since(ADVANCED_ORDER_REJECT, ""),
];

export const nextValidId = (orderId: number): Fields => [IN.NEXT_VALID_ID, 1, orderId];

export const managedAccounts = (accounts: string[]): Fields => [IN.MANAGED_ACCTS, 1, accounts.join(",")];

export const currentTime = (epochSeconds: number): Fields => [IN.CURRENT_TIME, 1, epochSeconds];

export const position = (p: SimPosition): Fields => [
  IN.POSITION,
  3,
  p.account,
  p.contract.conId,
  p.contract.symbol,
  p.contract.secType,
  p.contract.expiry,
  p.contract.strike,
  p.contract.right,
  p.contract.secType === "OPT" ? p.contract.multiplier : "",
  "",
  p.contract.currency,
  p.contract.localSymbol,
  p.contract.tradingClass,
  p.pos,
  round(p.avgCost, 6),
];

export const positionEnd = (): Fields => [IN.POSITION_END, 1];

export const accountSummary = (
  reqId: number,
  account: string,
  tag: string,
  value: string,
  currency: string,
): Fields => [IN.ACCOUNT_SUMMARY, 1, reqId, account, tag, value, currency];

export const accountSummaryEnd = (reqId: number): Fields => [IN.ACCOUNT_SUMMARY_END, 1, reqId];

export const accountValue = (key: string, value: string, currency: string, account: string): Fields => [
  IN.ACCT_VALUE,
  2,
  key,
  value,
  currency,
  account,
];

/** PORTFOLIO_VALUE version 8: conId, contract, multiplier and primaryExch, tradingClass, then the values. */
export const portfolioValue = (
  p: SimPosition,
  marketPrice: number,
  marketValue: number,
  unrealizedPNL: number,
  realizedPNL: number,
): Fields => [
  IN.PORTFOLIO_VALUE,
  8,
  p.contract.conId,
  p.contract.symbol,
  p.contract.secType,
  p.contract.expiry,
  p.contract.strike,
  p.contract.right,
  p.contract.multiplier,
  p.contract.primaryExch,
  p.contract.currency,
  p.contract.localSymbol,
  p.contract.tradingClass,
  p.pos,
  marketPrice,
  round(marketValue, 2),
  round(p.avgCost, 6),
  round(unrealizedPNL, 2),
  realizedPNL,
  p.account,
];

/** "HH:MM", US/Eastern. */
export const accountUpdateTime = (t: { hh: string; mm: string }): Fields => [
  IN.ACCT_UPDATE_TIME,
  1,
  `${t.hh}:${t.mm}`,
];

export const accountDownloadEnd = (account: string): Fields => [IN.ACCT_DOWNLOAD_END, 1, account];

export const orderStatus = (o: SimOrder): Fields => [
  IN.ORDER_STATUS,
  o.orderId,
  o.status,
  o.filled,
  o.totalQuantity - o.filled,
  o.avgFillPrice,
  o.permId,
  o.parentId,
  o.lastFillPrice,
  o.clientId,
  "",
  0,
];

export const openOrderEnd = (): Fields => [IN.OPEN_ORDER_END, 1];

export function executionData(reqId: number, e: SimExecution, time: string): Fields {
  const venue = e.contract.secType === "OPT" ? "CBOE" : "ARCA";
  return [
    IN.EXECUTION_DATA,
    reqId,
    e.orderId,
    e.contract.conId,
    e.contract.symbol,
    e.contract.secType,
    e.contract.expiry,
    e.contract.strike,
    e.contract.right,
    e.contract.secType === "OPT" ? e.contract.multiplier : "",
    venue,
    e.contract.currency,
    e.contract.localSymbol,
    e.contract.tradingClass,
    e.execId,
    time,
    e.account,
    venue,
    e.side,
    e.shares,
    e.price,
    e.permId,
    e.clientId,
    0,
    e.cumQty,
    e.avgPrice,
    e.orderRef,
    "",
    "",
    "",
    2,
    since(MIN.PENDING_PRICE_REVISION, 0),
  ];
}

export const completedOrdersEnd = (): Fields => [IN.COMPLETED_ORDERS_END];

export const executionDataEnd = (reqId: number): Fields => [IN.EXECUTION_DATA_END, 1, reqId];

export const commissionReport = (e: SimExecution): Fields => [
  IN.COMMISSION_REPORT,
  1,
  e.execId,
  e.commission,
  "USD",
  e.realizedPNL === undefined ? DOUBLE_MAX : e.realizedPNL,
  DOUBLE_MAX,
  "",
];

export const contractDataEnd = (reqId: number): Fields => [IN.CONTRACT_DATA_END, 1, reqId];

export const secDefOptParam = (
  reqId: number,
  exchange: string,
  underConId: number,
  tradingClass: string,
  multiplier: number,
  expirations: string[],
  strikes: number[],
): Fields => [
  IN.SEC_DEF_OPT_PARAM,
  reqId,
  exchange,
  underConId,
  tradingClass,
  multiplier,
  expirations.length,
  ...expirations,
  strikes.length,
  ...strikes,
];

export const secDefOptParamEnd = (reqId: number): Fields => [IN.SEC_DEF_OPT_PARAM_END, reqId];

export const TICK = { BID: 1, ASK: 2, LAST: 4, CLOSE: 9, MODEL_OPTION: 13 } as const;

export const tickPrice = (reqId: number, tickType: number, price: number, size: number): Fields => [
  IN.TICK_PRICE,
  6,
  reqId,
  tickType,
  price,
  size,
  0,
];

export interface OptionComputation {
  iv: number;
  delta: number;
  optPrice: number;
  gamma: number;
  vega: number;
  theta: number;
  undPrice: number;
}

export const tickOptionComputation = (reqId: number, tickType: number, c: OptionComputation): Fields => [
  IN.TICK_OPTION_COMPUTATION,
  until(PRICE_BASED_VOLATILITY, 6),
  reqId,
  tickType,
  since(PRICE_BASED_VOLATILITY, 1),
  round(c.iv, 6),
  round(c.delta, 6),
  c.optPrice,
  0,
  round(c.gamma, 6),
  round(c.vega, 6),
  round(c.theta, 6),
  c.undPrice,
];

/** TICK_REQ_PARAMS (81): no version field; the client reads minTick as an int, IB sends a price. */
export const tickReqParams = (
  reqId: number,
  minTick: number,
  bboExchange: string,
  snapshotPermissions: number,
): Fields => [IN.TICK_REQ_PARAMS, reqId, minTick, bboExchange, snapshotPermissions];

export const marketDataType = (reqId: number, type: number): Fields => [IN.MARKET_DATA_TYPE, 1, reqId, type];

export const tickSnapshotEnd = (reqId: number): Fields => [IN.TICK_SNAPSHOT_END, 1, reqId];

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
