/** CONTRACT_DATA (10): no version field, the order of decodeMsg_CONTRACT_DATA; later fields only at their versions. */
import type { SessionHours } from "./calendar.js";
import { SPY_CONID } from "./chain.js";
import type { Fields } from "./encode.js";
import { since } from "./framing.js";
import { IN } from "./msg-ids.js";
import type { SimContract } from "./types.js";
import { MIN } from "./versions.js";

const ORDER_TYPES =
  "ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,GAT,GTC,GTD,LMT,MKT,MOC,NONALGO,OCA,REL,SCALE,STP,STPLMT,TRAIL,WHATIF";
const OPTION_EXCHANGES =
  "SMART,AMEX,BATS,BOX,CBOE,CBOE2,EDGX,EMERALD,GEMINI,IBUSOPT,ISE,MERCURY,MIAX,NASDAQOM,PEARL,PHLX,PSE";
const STOCK_EXCHANGES = "SMART,AMEX,NYSE,CBOE,PHLX,ISE,CHX,ARCA,NASDAQ,DRCTEDGE,BEX,BATS,EDGEA,IEX,IBKRATS";

export function contractData(reqId: number, c: SimContract, hours: SessionHours): Fields {
  const option = c.secType === "OPT";
  return [
    IN.CONTRACT_DATA,
    reqId,
    c.symbol,
    c.secType,
    c.expiry,
    since(MIN.LAST_TRADE_DATE, c.expiry),
    c.strike,
    c.right,
    c.exchange,
    c.currency,
    c.localSymbol,
    c.tradingClass,
    c.tradingClass,
    c.conId,
    0.01,
    option ? c.multiplier : "",
    ORDER_TYPES,
    option ? OPTION_EXCHANGES : STOCK_EXCHANGES,
    1,
    option ? SPY_CONID : 0,
    "SPDR S&P 500 ETF TRUST",
    c.primaryExch,
    option ? c.expiry.slice(0, 6) : "",
    option ? "" : "Funds",
    option ? "" : "Equity Fund",
    option ? "" : "Growth&Income-Large Cap",
    hours.timeZoneId,
    hours.tradingHours,
    hours.liquidHours,
    "",
    "",
    0,
    option ? 2 : 1,
    option ? "SPY" : "",
    option ? "STK" : "",
    option ? "32,32" : "26,26",
    option ? c.expiry : "",
    option ? "" : "ETF",
    1,
    1,
    1,
    since(MIN.INELIGIBILITY_REASONS, 0),
  ];
}
