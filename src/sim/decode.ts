/**
 * Client -> server requests at the negotiated server version, by message id, with the field
 * positions of @stoqey/ib's encoder.js (EClient). Malformed requests throw DecodeError.
 */
import { OUT } from "./msg-ids.js";
import { MIN, SERVER_VERSION } from "./versions.js";

export class DecodeError extends Error {
  constructor(
    message: string,
    readonly msgId: number,
    /** The request or order id, when it could be read: the error is then tied to it. */
    readonly id = -1,
  ) {
    super(message);
  }
}

/** A contract as a request describes it; every part may be missing. */
export interface ContractSpec {
  conId: number;
  symbol: string;
  secType: string;
  expiry: string;
  strike: number;
  right: string;
  exchange: string;
  currency: string;
  localSymbol: string;
}

export interface OrderSpec {
  action: string;
  totalQuantity: number;
  orderType: string;
  lmtPrice?: number;
  auxPrice?: number;
  tif: string;
  ocaGroup: string;
  account: string;
  orderRef: string;
  /** Undefined when the client sent an empty field (stoqey does when Order.transmit is unset). */
  transmit?: boolean;
  parentId: number;
  outsideRth: boolean;
  ocaType: number;
  triggerMethod: number;
  whatIf: boolean;
}

export interface ExecutionFilterSpec {
  clientId: number;
  acctCode: string;
  time: string;
  symbol: string;
  secType: string;
  side: string;
}

export type ClientRequest =
  | { type: "startApi"; clientId: number }
  | { type: "reqCurrentTime" }
  | { type: "reqIds" }
  | { type: "reqPositions" }
  | { type: "cancelPositions" }
  | { type: "reqOpenOrders" }
  | { type: "reqAllOpenOrders" }
  | { type: "reqAutoOpenOrders" }
  | { type: "placeOrder"; orderId: number; contract: ContractSpec; order: OrderSpec }
  | { type: "cancelOrder"; orderId: number }
  | { type: "globalCancel" }
  | { type: "reqExecutions"; reqId: number; filter: ExecutionFilterSpec }
  | { type: "reqContractData"; reqId: number; contract: ContractSpec }
  | { type: "reqSecDefOptParams"; reqId: number; symbol: string; secType: string; conId: number }
  | { type: "reqMktData"; reqId: number; contract: ContractSpec; snapshot: boolean }
  | { type: "cancelMktData"; reqId: number }
  | { type: "reqMarketDataType"; marketDataType: number }
  | { type: "reqAccountSummary"; reqId: number; group: string; tags: string }
  | { type: "cancelAccountSummary"; reqId: number }
  | { type: "reqManagedAccts" }
  | { type: "reqAccountUpdates"; subscribe: boolean; acctCode: string }
  | { type: "reqCompletedOrders"; apiOnly: boolean }
  | { type: "setServerLogLevel" };

/** Reads fields by index, failing with a message that names the field. */
class Reader {
  constructor(
    private readonly fields: readonly string[],
    readonly msgId: number,
    public id = -1,
  ) {}

  str(i: number): string {
    return this.fields[i] ?? "";
  }

  require(count: number): void {
    if (this.fields.length < count) {
      throw new DecodeError(
        `expected at least ${count} fields, got ${this.fields.length}`,
        this.msgId,
        this.id,
      );
    }
  }

  int(i: number, name: string): number {
    const text = this.str(i);
    if (text === "") return 0;
    const value = Number(text);
    if (!Number.isInteger(value))
      throw new DecodeError(`${name} is not an integer: "${text}"`, this.msgId, this.id);
    return value;
  }

  num(i: number, name: string): number | undefined {
    const text = this.str(i);
    if (text === "") return undefined;
    const value = Number(text);
    if (!Number.isFinite(value))
      throw new DecodeError(`${name} is not a number: "${text}"`, this.msgId, this.id);
    return value === Number.MAX_VALUE ? undefined : value;
  }

  bool(i: number): boolean | undefined {
    const text = this.str(i);
    return text === "" ? undefined : text !== "0" && text.toLowerCase() !== "false";
  }

  /** conId, symbol, secType, expiry, strike, right, multiplier, exchange, primaryExch, currency, localSymbol, tradingClass. */
  contract(at: number): ContractSpec {
    return {
      conId: this.int(at, "conId"),
      symbol: this.str(at + 1),
      secType: this.str(at + 2),
      expiry: this.str(at + 3),
      strike: this.num(at + 4, "strike") ?? 0,
      right: this.str(at + 5),
      exchange: this.str(at + 7),
      currency: this.str(at + 9),
      localSymbol: this.str(at + 10),
    };
  }
}

export function decodeRequest(
  given: readonly string[],
  version: number = SERVER_VERSION,
): ClientRequest | { type: "unknown"; msgId: number } {
  const msgId = Number(given[0]);
  // Below 177 PLACE_ORDER still carries the deprecated faProfile after faPercentage (41).
  const fields =
    msgId === OUT.PLACE_ORDER && version < MIN.FA_PROFILE_DESUPPORT
      ? [...given.slice(0, 42), ...given.slice(43)]
      : given;
  const r = new Reader(fields, Number.isInteger(msgId) ? msgId : -1);
  switch (msgId) {
    case OUT.START_API:
      r.require(3);
      return { type: "startApi", clientId: r.int(2, "clientId") };
    case OUT.REQ_CURRENT_TIME:
      return { type: "reqCurrentTime" };
    case OUT.REQ_IDS:
      return { type: "reqIds" };
    case OUT.REQ_POSITIONS:
      return { type: "reqPositions" };
    case OUT.CANCEL_POSITIONS:
      return { type: "cancelPositions" };
    case OUT.REQ_OPEN_ORDERS:
      return { type: "reqOpenOrders" };
    case OUT.REQ_ALL_OPEN_ORDERS:
      return { type: "reqAllOpenOrders" };
    case OUT.REQ_AUTO_OPEN_ORDERS:
      return { type: "reqAutoOpenOrders" };
    case OUT.PLACE_ORDER:
      return decodePlaceOrder(r);
    case OUT.CANCEL_ORDER: {
      // A version field (1) comes first until the CME tagging fields (192) replaced it.
      const at = version < MIN.CME_TAGGING_FIELDS ? 2 : 1;
      r.require(at + 1);
      return { type: "cancelOrder", orderId: r.int(at, "orderId") };
    }
    case OUT.REQ_GLOBAL_CANCEL:
      return { type: "globalCancel" };
    case OUT.REQ_EXECUTIONS: {
      r.require(10);
      r.id = r.int(2, "reqId");
      const filter = {
        clientId: r.int(3, "clientId"),
        acctCode: r.str(4),
        time: r.str(5),
        symbol: r.str(6),
        secType: r.str(7),
        side: r.str(9),
      };
      return { type: "reqExecutions", reqId: r.id, filter };
    }
    case OUT.REQ_CONTRACT_DATA:
      r.require(15);
      r.id = r.int(2, "reqId");
      return { type: "reqContractData", reqId: r.id, contract: r.contract(3) };
    case OUT.REQ_SEC_DEF_OPT_PARAMS:
      r.require(6);
      r.id = r.int(1, "reqId");
      return {
        type: "reqSecDefOptParams",
        reqId: r.id,
        symbol: r.str(2),
        secType: r.str(4),
        conId: r.int(5, "conId"),
      };
    case OUT.REQ_MKT_DATA: {
      r.require(18);
      r.id = r.int(2, "reqId");
      const contract = r.contract(3);
      // BAG legs may sit in between; snapshot is always third from the end.
      const snapshot = r.bool(fields.length - 3) ?? false;
      return { type: "reqMktData", reqId: r.id, contract, snapshot };
    }
    case OUT.CANCEL_MKT_DATA:
      r.require(3);
      return { type: "cancelMktData", reqId: r.int(2, "reqId") };
    case OUT.REQ_MARKET_DATA_TYPE:
      r.require(3);
      return { type: "reqMarketDataType", marketDataType: r.int(2, "marketDataType") };
    case OUT.REQ_ACCOUNT_SUMMARY:
      r.require(5);
      r.id = r.int(2, "reqId");
      return { type: "reqAccountSummary", reqId: r.id, group: r.str(3), tags: r.str(4) };
    case OUT.CANCEL_ACCOUNT_SUMMARY:
      r.require(3);
      return { type: "cancelAccountSummary", reqId: r.int(2, "reqId") };
    case OUT.REQ_MANAGED_ACCTS:
      return { type: "reqManagedAccts" };
    case OUT.REQ_ACCOUNT_DATA:
      r.require(3);
      return { type: "reqAccountUpdates", subscribe: r.bool(2) ?? false, acctCode: r.str(3) };
    case OUT.REQ_COMPLETED_ORDERS:
      return { type: "reqCompletedOrders", apiOnly: r.bool(1) ?? false };
    case OUT.SET_SERVER_LOGLEVEL:
      return { type: "setServerLogLevel" };
    default:
      return { type: "unknown", msgId: r.msgId };
  }
}

/** The whatIf field's index: after ocaType (46) the optional blocks of encoder.js placeOrder are walked. */
function whatIfIndex(r: Reader): number {
  let i = 62; // rule80A .. stockRangeUpper (47-60), overridePercentageConstraints (61)
  const deltaNeutralType = r.str(64); // volatility, volatilityType, deltaNeutralOrderType, deltaNeutralAuxPrice
  i = 66 + (deltaNeutralType ? 8 : 0);
  i += 4; // continuousUpdate, referencePriceType, trailStopPrice, trailingPercent
  const scaleIncrement = r.str(i + 2);
  i += 3 + (scaleIncrement ? 7 : 0); // scale sizes, increment (+7 scale fields)
  i += 3; // scaleTable, activeStartTime, activeStopTime
  i += r.str(i) ? 2 : 1; // hedgeType (+hedgeParam)
  i += 4; // optOutSmartRouting, clearingAccount, clearingIntent, notHeld
  i += r.bool(i) ? 4 : 1; // deltaNeutralContract flag (+conId, delta, price)
  if (r.str(i))
    i += 2 + 2 * r.int(i + 1, "algoParamsCount"); // algoStrategy, count, tag/value pairs
  else i += 1;
  return i + 1; // algoId
}

/** Indices of a non-BAG PLACE_ORDER (see notes/tws-protocol.md §3). */
function decodePlaceOrder(r: Reader): ClientRequest {
  r.require(2);
  r.id = r.int(1, "orderId");
  r.require(47);
  const secType = r.str(4).toUpperCase();
  if (secType === "BAG") throw new DecodeError("combo (BAG) orders are not supported", r.msgId, r.id);
  return {
    type: "placeOrder",
    orderId: r.id,
    contract: { ...r.contract(2), secType },
    order: {
      action: r.str(16).toUpperCase(),
      totalQuantity: r.num(17, "totalQuantity") ?? 0,
      orderType: r.str(18).toUpperCase(),
      lmtPrice: r.num(19, "lmtPrice"),
      auxPrice: r.num(20, "auxPrice"),
      tif: r.str(21),
      ocaGroup: r.str(22),
      account: r.str(23),
      orderRef: r.str(26),
      transmit: r.bool(27),
      parentId: r.int(28, "parentId"),
      triggerMethod: r.int(32, "triggerMethod"),
      whatIf: r.bool(whatIfIndex(r)) ?? false,
      outsideRth: r.bool(33) ?? false,
      ocaType: r.int(46, "ocaType"),
    },
  };
}
