import { type Contract, type ContractDetails, EventName, SecType } from "@stoqey/ib";
import type { BrokerContract } from "../broker.js";
import { classifyMarketDataCode } from "./ib-codes.js";
import type { IbSession } from "./ib-session.js";
import { toBrokerContract } from "./ib-session.js";

export interface ContractInfo {
  contract: BrokerContract;
  timeZoneId: string;
  liquidHours: string;
  tradingHours: string;
}

export interface OptionChain {
  exchange: string;
  tradingClass: string;
  expirations: string[];
  strikes: number[];
}

/** Where a price or a delta came from: IB's live or delayed ticks, or our own model from the mid. */
export type DataSource = "live" | "delayed" | "model";

export interface Quote {
  bid?: number;
  ask?: number;
  last?: number;
  close?: number;
  delta?: number;
  iv?: number;
  modelPrice?: number;
  underlying?: number;
  /** Which ticks the prices came on (delayed: 66-68, 75); undefined when none came. */
  prices?: "live" | "delayed";
  /** Which computation the delta came on (delayed: 80-83); "model" once computed from the mid. */
  deltaFrom?: DataSource;
  /** IB's advisories on this request (10090, 10167, 21xx): data still came. */
  notices: number[];
}

/** reqMarketDataType's numbers. */
export const MARKET_DATA_TYPES = { live: 1, frozen: 2, delayed: 3, "delayed-frozen": 4 } as const;
export type MarketDataType = keyof typeof MARKET_DATA_TYPES;

/** An IB error tied to one of our requests, with IB's code and text. */
export class BrokerRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A market-data request IB refused (354, 10089, 10168, 10197): the message names the fix. */
export class MarketDataError extends BrokerRequestError {
  constructor(
    code: number,
    readonly reason: "not-subscribed" | "competing-session",
    readonly ibText: string,
    readonly fix: string,
  ) {
    super(code, `${ibText} (${code}). ${fix}`);
  }
}

export function toIbContract(c: Partial<BrokerContract>): Contract {
  return {
    conId: c.conId || undefined,
    symbol: c.symbol,
    secType: (c.secType as SecType | undefined) ?? (c.right ? SecType.OPT : SecType.STK),
    lastTradeDateOrContractMonth: c.expiry,
    strike: c.strike,
    right: c.right as Contract["right"],
    multiplier: c.multiplier,
    exchange: c.exchange ?? "SMART",
    currency: c.currency ?? "USD",
  };
}

/** Rejects when IB answers this request id with an error (e.g. 200: no such contract). */
export function onRequestError(session: IbSession, reqId: number, reject: (e: Error) => void): () => void {
  const listener = (err: Error, code: number, id: number) => {
    if (id === reqId) reject(new BrokerRequestError(code, `${err?.message ?? err} (${code})`));
  };
  session.api.on(EventName.error, listener);
  return () => session.api.off(EventName.error, listener);
}

export function contractDetails(session: IbSession, spec: Partial<BrokerContract>): Promise<ContractInfo[]> {
  const reqId = session.nextReqId();
  return session.request<ContractInfo[]>((done, fail) => {
    const rows: ContractInfo[] = [];
    const onRow = (id: number, d: ContractDetails) => {
      if (id !== reqId) return;
      rows.push({
        contract: toBrokerContract(d.contract),
        timeZoneId: d.timeZoneId ?? "",
        liquidHours: d.liquidHours ?? "",
        tradingHours: d.tradingHours ?? "",
      });
    };
    const onEnd = (id: number) => {
      if (id === reqId) done(rows);
    };
    const offError = onRequestError(session, reqId, fail);
    const cleanup = () => {
      session.api.off(EventName.contractDetails, onRow);
      session.api.off(EventName.contractDetailsEnd, onEnd);
      offError();
    };
    session.api.on(EventName.contractDetails, onRow);
    session.api.on(EventName.contractDetailsEnd, onEnd);
    session.api.reqContractDetails(reqId, toIbContract(spec));
    return cleanup;
  }, "reqContractDetails");
}

/**
 * The option chain for `symbol`: IB answers one row per exchange (SMART, CBOE, ...), each with
 * the union of strikes over all expirations. The rows of the symbol's own trading class are merged;
 * which strikes an expiry really lists comes from that expiry's contract details.
 */
export function optionChain(session: IbSession, symbol: string, underConId: number): Promise<OptionChain> {
  const reqId = session.nextReqId();
  return session.request<OptionChain>((done, fail) => {
    const chains: OptionChain[] = [];
    const onRow = (
      id: number,
      exchange: string,
      _u: number,
      tradingClass: string,
      _m: string,
      exp: string[],
      strikes: number[],
    ) => {
      if (id === reqId)
        chains.push({
          exchange,
          tradingClass,
          expirations: [...exp].sort(),
          strikes: [...strikes].sort((a, b) => a - b),
        });
    };
    const onEnd = (id: number) => {
      if (id !== reqId) return;
      const merged = mergeChains(chains, symbol);
      if (merged) done(merged);
      else {
        fail(new BrokerRequestError(0, `IB returned no option chain for ${symbol}`));
      }
    };
    const offError = onRequestError(session, reqId, fail);
    const cleanup = () => {
      session.api.off(EventName.securityDefinitionOptionParameter, onRow);
      session.api.off(EventName.securityDefinitionOptionParameterEnd, onEnd);
      offError();
    };
    session.api.on(EventName.securityDefinitionOptionParameter, onRow);
    session.api.on(EventName.securityDefinitionOptionParameterEnd, onEnd);
    session.api.reqSecDefOptParams(reqId, symbol, "", "STK", underConId);
    return cleanup;
  }, "reqSecDefOptParams");
}

/** Every row of the symbol's trading class (else every row), as one chain: union of expirations and strikes. */
export function mergeChains(rows: OptionChain[], symbol: string): OptionChain | undefined {
  const own = rows.filter((c) => c.tradingClass === symbol);
  const use = own.length > 0 ? own : rows;
  if (use.length === 0) return undefined;
  const expirations = new Set(use.flatMap((c) => c.expirations));
  const strikes = new Set(use.flatMap((c) => c.strikes));
  return {
    exchange: use.find((c) => c.exchange === "SMART")?.exchange ?? use[0]!.exchange,
    tradingClass: use[0]!.tradingClass,
    expirations: [...expirations].sort(),
    strikes: [...strikes].sort((a, b) => a - b),
  };
}

/** Live and delayed tick types (IB's TickType): prices, and option computations by preference. */
const PRICE_TICKS: Record<number, { field: "bid" | "ask" | "last" | "close"; feed: "live" | "delayed" }> = {
  1: { field: "bid", feed: "live" },
  2: { field: "ask", feed: "live" },
  4: { field: "last", feed: "live" },
  9: { field: "close", feed: "live" },
  66: { field: "bid", feed: "delayed" },
  67: { field: "ask", feed: "delayed" },
  68: { field: "last", feed: "delayed" },
  75: { field: "close", feed: "delayed" },
};
/** The model computation (13/83) is preferred; bid, ask and last ones (10-12, 80-82) stand in for it. */
const GREEK_TICKS: Record<number, { rank: number; feed: "live" | "delayed" }> = {
  13: { rank: 3, feed: "live" },
  83: { rank: 3, feed: "delayed" },
  12: { rank: 2, feed: "live" },
  82: { rank: 2, feed: "delayed" },
  10: { rank: 1, feed: "live" },
  11: { rank: 1, feed: "live" },
  80: { rank: 1, feed: "delayed" },
  81: { rank: 1, feed: "delayed" },
};

/** Asks IB for this type of market data on the session's later requests (reqMarketDataType). */
export function setMarketDataType(session: IbSession, type: MarketDataType): void {
  session.api.reqMarketDataType(MARKET_DATA_TYPES[type]);
}

/**
 * One market-data snapshot: bid, ask, last and (for options) a delta, from live or delayed ticks.
 * IB's codes on the request count by meaning: advisories (10090, 10167, 21xx) are noted and the
 * data that follows is used; 354, 10089, 10168 and 10197 fail it with the fix in words.
 */
export function snapshot(session: IbSession, contract: BrokerContract): Promise<Quote> {
  const reqId = session.nextReqId();
  return session.request<Quote>((done, fail) => {
    const q: Quote = { notices: [] };
    let greekRank = 0;
    const onPrice = (id: number, field: number, value: number) => {
      const tick = PRICE_TICKS[field];
      if (id !== reqId || !tick || !(value > 0)) return;
      q[tick.field] = value;
      if (tick.field !== "close" && q.prices !== "live") q.prices = tick.feed;
    };
    const onGreeks = (
      id: number,
      field: number,
      _a: unknown,
      iv?: number,
      delta?: number,
      optPrice?: number,
      _pv?: number,
      _g?: number,
      _v?: number,
      _t?: number,
      und?: number,
    ) => {
      const tick = GREEK_TICKS[field];
      if (id !== reqId || !tick || tick.rank < greekRank) return;
      if (delta === undefined || !(delta >= -1 && delta <= 1)) return;
      greekRank = tick.rank;
      q.delta = delta;
      q.deltaFrom = tick.feed;
      if (iv !== undefined && iv >= 0) q.iv = iv;
      if (tick.rank === 3 && optPrice !== undefined && optPrice >= 0) q.modelPrice = optPrice;
      if (und !== undefined && und > 0) q.underlying = und;
    };
    const onEnd = (id: number) => {
      if (id === reqId) done(q);
    };
    const onError = (err: Error, code: number, id: number) => {
      if (id !== reqId) return;
      const meaning = classifyMarketDataCode(code);
      const text = String(err?.message ?? err);
      if (meaning.kind === "advisory") q.notices.push(code);
      else if (meaning.kind === "fatal") fail(new MarketDataError(code, meaning.reason, text, meaning.fix));
      else fail(new BrokerRequestError(code, `${text} (${code})`));
    };
    session.api.on(EventName.error, onError);
    const offError = () => session.api.off(EventName.error, onError);
    const cleanup = () => {
      session.api.off(EventName.tickPrice, onPrice);
      session.api.off(EventName.tickOptionComputation, onGreeks);
      session.api.off(EventName.tickSnapshotEnd, onEnd);
      offError();
    };
    session.api.on(EventName.tickPrice, onPrice);
    session.api.on(EventName.tickOptionComputation, onGreeks);
    session.api.on(EventName.tickSnapshotEnd, onEnd);
    session.api.reqMktData(reqId, toIbContract(contract), "", true, false);
    return cleanup;
  }, "a market data snapshot");
}
