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
import { isAdvisoryCode, MESSAGES } from "./faults.js";
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

/** The option exchanges IB answers reqSecDefOptParams for SPY with: one row each, in no special order. */
const SECDEF_EXCHANGES = ["SMART", "CBOE", "AMEX", "BATS", "BOX", "CBOE2", "ISE", "NASDAQOM", "PHLX"];

/** One row per exchange, each with every expiration and the union of their strikes (as IB does). */
export function sendSecDefOptParams(
  ctx: SimContext,
  conn: Connection,
  reqId: number,
  symbol: string,
  conId: number,
) {
  if (symbol.toUpperCase() === "SPY" && (conId === 0 || conId === SPY_CONID)) {
    const m = ctx.market;
    for (const exchange of SECDEF_EXCHANGES) {
      conn.send(enc.secDefOptParam(reqId, exchange, SPY_CONID, "SPY", 100, m.expirations(), m.strikes));
    }
  }
  conn.send(enc.secDefOptParamEnd(reqId));
}

/** What one market-data request gets: which ticks, with or without greeks, after which advisory; or an error. */
export type Feed =
  | { kind: "live" | "delayed"; greeks: boolean; advisory?: { code: number; message: string } }
  | { kind: "refused"; code: number; message: string };

/**
 * The options data the account is entitled to (ctx.marketData) meets the type the client asked
 * for (reqMarketDataType): live data always comes live; delayed only once 3 or 4 was asked for
 * (10167 first), else 354; none is 354, or 10090 and the default ticks without greeks.
 */
export function feedFor(ctx: SimContext, conn: Connection, contract: SimContract): Feed {
  if (contract.secType !== "OPT") return { kind: "live", greeks: false };
  const { options, greeks } = ctx.marketData;
  const wantsDelayed = conn.marketDataType === 3 || conn.marketDataType === 4;
  if (options === "live") return { kind: "live", greeks };
  if (options === "delayed") {
    if (!wantsDelayed) return { kind: "refused", code: 354, message: MESSAGES.notSubscribed };
    return { kind: "delayed", greeks, advisory: { code: 10167, message: MESSAGES.delayedShown } };
  }
  if (greeks) return { kind: "refused", code: 354, message: MESSAGES.notSubscribed };
  return { kind: "live", greeks: false, advisory: { code: 10090, message: MESSAGES.partlySubscribed } };
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
  const option = contract.secType === "OPT";
  conn.send(enc.tickReqParams(reqId, 0.01, option ? "c70003" : "9c0001", 3));
  const played = ctx.modes.marketDataCode;
  if (played && option) {
    conn.send(enc.errMsg(reqId, played.code, played.message));
    if (!isAdvisoryCode(played.code)) return;
  }
  const feed = feedFor(ctx, conn, contract);
  if (feed.kind === "refused") return conn.send(enc.errMsg(reqId, feed.code, feed.message));
  if (!snapshot) conn.streams.set(reqId, contract);
  const answer = () => {
    if (!conn.ready) return;
    if (snapshot || conn.streams.has(reqId)) {
      if (feed.advisory) conn.send(enc.errMsg(reqId, feed.advisory.code, feed.advisory.message));
      if (conn.marketDataType !== 1) {
        const frozen = conn.marketDataType === 2 || conn.marketDataType === 4;
        conn.send(enc.marketDataType(reqId, (feed.kind === "delayed" ? 3 : 1) + (frozen ? 1 : 0)));
      }
      conn.sendAll(quoteTicks(reqId, contract, ctx.market.quote(contract), feed));
    }
    if (snapshot) conn.send(enc.tickSnapshotEnd(reqId));
  };
  const delay = ctx.quoteDelayMs();
  if (delay > 0) setTimeout(answer, delay).unref();
  else answer();
}

/** A stream's ticks after a price change, in the feed it was opened with. */
export function streamTicks(ctx: SimContext, conn: Connection, reqId: number, contract: SimContract) {
  const feed = feedFor(ctx, conn, contract);
  if (feed.kind === "refused") return [];
  return quoteTicks(reqId, contract, ctx.market.quote(contract), feed);
}

const LIVE = { BID: 1, ASK: 2, LAST: 4, CLOSE: 9, greeks: [10, 11, 12, 13] } as const;
const DELAYED = { BID: 66, ASK: 67, LAST: 68, CLOSE: 75, greeks: [80, 81, 82, 83] } as const;

export function quoteTicks(
  reqId: number,
  contract: SimContract,
  q: Quote,
  feed: { kind: "live" | "delayed"; greeks: boolean } = { kind: "live", greeks: true },
): enc.Fields[] {
  const size = contract.secType === "OPT" ? 25 : 500;
  const t = feed.kind === "delayed" ? DELAYED : LIVE;
  const ticks = [
    enc.tickPrice(reqId, t.BID, q.bid, size),
    enc.tickPrice(reqId, t.ASK, q.ask, size),
    enc.tickPrice(reqId, t.LAST, q.last, 1),
    enc.tickPrice(reqId, t.CLOSE, q.close, 0),
  ];
  if (q.greeks && feed.greeks) {
    // Bid, ask and last computations (IB's implied vol from that price), then the model's.
    const [bid, ask, last, model] = t.greeks;
    ticks.push(enc.tickOptionComputation(reqId, bid, { ...q.greeks, optPrice: q.bid }));
    ticks.push(enc.tickOptionComputation(reqId, ask, { ...q.greeks, optPrice: q.ask }));
    ticks.push(enc.tickOptionComputation(reqId, last, { ...q.greeks, optPrice: q.last }));
    ticks.push(enc.tickOptionComputation(reqId, model, { ...q.greeks, optPrice: q.mark }));
  }
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
