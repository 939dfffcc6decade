import { type Contract, type ContractDetails, EventName, SecType } from "@stoqey/ib";
import type { BrokerContract } from "../broker.js";
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

export interface Quote {
  bid?: number;
  ask?: number;
  last?: number;
  close?: number;
  delta?: number;
  iv?: number;
  modelPrice?: number;
  underlying?: number;
}

/** An IB error tied to one of our requests, with IB's code and text. */
export class BrokerRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
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
      const smart = chains.find((c) => c.exchange === "SMART" && c.tradingClass === symbol) ?? chains[0];
      if (smart) done(smart);
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

const TICK = {
  BID: 1,
  ASK: 2,
  LAST: 4,
  CLOSE: 9,
  MODEL: 13,
  DELAYED_BID: 66,
  DELAYED_ASK: 67,
  DELAYED_LAST: 68,
  DELAYED_MODEL: 83,
};

/** One market-data snapshot: bid, ask, last and (for options) the model delta. */
export function snapshot(session: IbSession, contract: BrokerContract): Promise<Quote> {
  const reqId = session.nextReqId();
  return session.request<Quote>((done, fail) => {
    const q: Quote = {};
    const onPrice = (id: number, field: number, value: number) => {
      if (id !== reqId || !(value > 0)) return;
      if (field === TICK.BID || field === TICK.DELAYED_BID) q.bid = value;
      else if (field === TICK.ASK || field === TICK.DELAYED_ASK) q.ask = value;
      else if (field === TICK.LAST || field === TICK.DELAYED_LAST) q.last = value;
      else if (field === TICK.CLOSE) q.close = value;
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
      if (id !== reqId || (field !== TICK.MODEL && field !== TICK.DELAYED_MODEL)) return;
      if (delta !== undefined && delta >= -1 && delta <= 1) q.delta = delta;
      if (iv !== undefined && iv >= 0) q.iv = iv;
      if (optPrice !== undefined && optPrice >= 0) q.modelPrice = optPrice;
      if (und !== undefined && und > 0) q.underlying = und;
    };
    const onEnd = (id: number) => {
      if (id === reqId) done(q);
    };
    const offError = onRequestError(session, reqId, fail);
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
