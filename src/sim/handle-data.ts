/** Data requests: contract details, option parameters, market data, positions, account summary. */
import type { AccountValues } from "./accounting.js";
import { sessionHours } from "./calendar.js";
import { SPY_CONID } from "./chain.js";
import type { Connection } from "./connection.js";
import type { SimContext } from "./context.js";
import type { ContractSpec } from "./decode.js";
import * as enc from "./encode.js";
import { contractData } from "./encode-contract.js";
import { MESSAGES } from "./faults.js";
import { findContracts } from "./lookup.js";
import type { Quote } from "./market.js";
import type { SimContract } from "./types.js";

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

const SUMMARY_TAGS: readonly (keyof AccountValues)[] = [
  "NetLiquidation",
  "TotalCashValue",
  "BuyingPower",
  "AvailableFunds",
  "ExcessLiquidity",
  "MaintMarginReq",
  "InitMarginReq",
  "GrossPositionValue",
];

export function sendAccountSummary(ctx: SimContext, conn: Connection, reqId: number, tags: string) {
  const wanted = new Set(tags.split(",").map((t) => t.trim()));
  for (const account of ctx.exchange.accounts) {
    const values = ctx.exchange.values(account);
    for (const tag of SUMMARY_TAGS) {
      if (!wanted.has(tag) && !wanted.has("All")) continue;
      conn.send(enc.accountSummary(reqId, account, tag, values[tag].toFixed(2), "USD"));
    }
  }
  conn.send(enc.accountSummaryEnd(reqId));
}
