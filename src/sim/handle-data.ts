/** Data requests: contract details, option parameters, market data, positions, account summary. */
import { summaryTags, TAG_ALIASES } from "./account-tags.js";
import { sessionHours } from "./calendar.js";
import { SPY_CONID } from "./chain.js";
import type { Connection } from "./connection.js";
import type { SimContext } from "./context.js";
import type { ContractSpec } from "./decode.js";
import { eastern } from "./eastern.js";
import * as enc from "./encode.js";
import { contractData } from "./encode-contract.js";
import { MESSAGES } from "./faults.js";
import { findContracts } from "./lookup.js";
import type { Quote } from "./market.js";
import type { SimContract, SimPosition } from "./types.js";

export function sendContractDetails(ctx: SimContext, conn: Connection, reqId: number, spec: ContractSpec) {
  const found = findContracts(spec, ctx.market);
  if (found.length === 0) return conn.send(enc.errMsg(reqId, 200, MESSAGES.noSecDef));
  const hours = { STK: sessionHours(ctx.now(), "STK"), OPT: sessionHours(ctx.now(), "OPT") };
  for (const c of found) conn.send(contractData(reqId, c, hours[c.secType]));
  conn.send(enc.contractDataEnd(reqId));
}

export function sendSecDefOptParams(
  ctx: SimContext,
  conn: Connection,
  reqId: number,
  symbol: string,
  conId: number,
) {
  if (symbol.toUpperCase() === "SPY" && (conId === 0 || conId === SPY_CONID)) {
    const m = ctx.market;
    conn.send(enc.secDefOptParam(reqId, "SMART", SPY_CONID, "SPY", 100, m.expirations(), m.strikes));
  }
  conn.send(enc.secDefOptParamEnd(reqId));
}

export function requestMarketData(
  ctx: SimContext,
  conn: Connection,
  reqId: number,
  spec: ContractSpec,
  snapshot: boolean,
) {
  if (ctx.modes.competingSession) return conn.send(enc.errMsg(reqId, 10197, MESSAGES.competing));
  const found = findContracts(spec, ctx.market);
  const contract = found[0];
  if (!contract || found.length > 1) return conn.send(enc.errMsg(reqId, 200, MESSAGES.noSecDef));
  conn.sendAll(quoteTicks(reqId, contract, ctx.market.quote(contract)));
  if (snapshot) conn.send(enc.tickSnapshotEnd(reqId));
  else conn.streams.set(reqId, contract);
}

export function quoteTicks(reqId: number, contract: SimContract, q: Quote): enc.Fields[] {
  const size = contract.secType === "OPT" ? 25 : 500;
  const ticks = [
    enc.tickPrice(reqId, enc.TICK.BID, q.bid, size),
    enc.tickPrice(reqId, enc.TICK.ASK, q.ask, size),
    enc.tickPrice(reqId, enc.TICK.LAST, q.last, 1),
    enc.tickPrice(reqId, enc.TICK.CLOSE, q.close, 0),
  ];
  if (q.greeks)
    ticks.push(enc.tickOptionComputation(reqId, enc.TICK.MODEL_OPTION, { ...q.greeks, optPrice: q.mark }));
  return ticks;
}

export function sendPositions(ctx: SimContext, conn: Connection) {
  conn.positionsSubscribed = true;
  for (const p of ctx.exchange.positions()) if (p.pos !== 0) conn.send(enc.position(p));
  conn.send(enc.positionEnd());
}

/**
 * reqAccountSummary(reqId, group, tags): one row per account per tag asked for (every tag IB
 * documents; "All" in the tag list means all of them), then the end. One-shot.
 */
export function sendAccountSummary(ctx: SimContext, conn: Connection, reqId: number, tags: string) {
  const asked = tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const wanted = new Map(asked.map((t) => [TAG_ALIASES[t] ?? t, t]));
  for (const account of ctx.exchange.accounts) {
    const rows = summaryTags(ctx.exchange.values(account), ctx.exchange.cashOf(account));
    for (const row of rows) {
      const name = wanted.has("All") ? row.tag : wanted.get(row.tag);
      if (name === undefined) continue;
      conn.send(enc.accountSummary(reqId, account, name, row.value, row.currency));
    }
  }
  conn.send(enc.accountSummaryEnd(reqId));
}

/**
 * reqAccountUpdates(true, account): that account's values (updateAccountValue), its portfolio
 * (updatePortfolio), the time (updateAccountTime) and accountDownloadEnd; position changes then
 * stream a portfolio row. An empty account code means the first account.
 */
export function subscribeAccountUpdates(
  ctx: SimContext,
  conn: Connection,
  subscribe: boolean,
  acctCode: string,
) {
  if (!subscribe) {
    conn.accountUpdates = undefined;
    return;
  }
  const account = acctCode || ctx.exchange.account;
  if (!ctx.exchange.accounts.includes(account)) {
    conn.send(
      enc.errMsg(-1, 321, `Error validating request.-'bK' : cause - Invalid account code ${account}`),
    );
    return;
  }
  conn.accountUpdates = account;
  sendAccountValues(ctx, conn, account);
  for (const p of ctx.exchange.positions()) {
    if (p.account === account && p.pos !== 0) conn.send(portfolioRow(ctx, p));
  }
  conn.send(enc.accountUpdateTime(eastern(ctx.now())));
  conn.send(enc.accountDownloadEnd(account));
}

export function sendAccountValues(ctx: SimContext, conn: Connection, account: string) {
  conn.send(enc.accountValue("AccountCode", account, "", account));
  conn.send(enc.accountValue("Currency", "USD", "USD", account));
  for (const row of summaryTags(ctx.exchange.values(account), ctx.exchange.cashOf(account))) {
    conn.send(enc.accountValue(row.tag, row.value, row.currency, account));
  }
}

export function portfolioRow(ctx: SimContext, p: SimPosition): enc.Fields {
  const mark = p.pos === 0 ? 0 : ctx.market.quote(p.contract).mark;
  const value = p.pos * mark * p.contract.multiplier;
  return enc.portfolioValue(p, mark, value, value - p.pos * p.avgCost, 0);
}
