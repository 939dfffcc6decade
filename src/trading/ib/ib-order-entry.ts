import { EventName, type Order, OrderAction, OrderType, TimeInForce } from "@stoqey/ib";
import type { BrokerContract } from "../broker.js";
import { BrokerRequestError, toIbContract } from "./ib-market-data.js";
import type { IbSession } from "./ib-session.js";

export interface OrderTicket {
  orderRef: string;
  contract: BrokerContract;
  action: "BUY" | "SELL";
  orderType: "LMT" | "STP" | "STP LMT" | "MKT";
  quantity: number;
  limitPrice?: number;
  auxPrice?: number;
  tif: "DAY" | "GTC";
  ocaGroup?: string;
  /** 1: cancel the rest with block; 2: reduce the rest by the filled quantity, with block. */
  ocaType?: number;
  /** IB's triggerMethod for a stop (8: mid-point); absent for IB's default. */
  triggerMethod?: number;
  account?: string;
}

export interface OrderAck {
  orderId: number;
  permId: number;
  status: string;
}

/**
 * Messages IB sends on an order's id that do not reject it: 399 (order message warnings, e.g. held
 * until the open), 404 (shares not yet available to short), 202 (cancelled: the status stream says
 * so), 10148/10149 (about a cancel), and the 2100-2199 notices (2109: outside-RTH ignored, ...).
 */
export function isOrderWarning(code: number): boolean {
  return (
    code === 399 ||
    code === 404 ||
    code === 202 ||
    code === 10148 ||
    code === 10149 ||
    (code >= 2100 && code < 2200)
  );
}

/** Order ids far above request ids (IB routes errors by id, and shares one space). */
export const ORDER_ID_FLOOR = 1_000_000;

/**
 * Hands out order ids for one client id: above the gateway's nextValidId, above the
 * floor, and above every id this process (or the journal) has used.
 */
export class OrderIds {
  private last = 0;

  constructor(usedSoFar = 0) {
    this.last = usedSoFar;
  }

  /** An id seen at the broker (e.g. after a restart): never hand it out again. */
  observe(orderId: number): void {
    if (orderId > this.last) this.last = orderId;
  }

  next(session: IbSession): number {
    this.last = Math.max(this.last + 1, session.nextValidId, ORDER_ID_FLOOR);
    return this.last;
  }
}

const IB_ORDER_TYPE: Record<OrderTicket["orderType"], OrderType> = {
  LMT: OrderType.LMT,
  STP: OrderType.STP,
  "STP LMT": OrderType.STP_LMT,
  MKT: OrderType.MKT,
};

function toIbOrder(t: OrderTicket): Order {
  return {
    action: t.action === "BUY" ? OrderAction.BUY : OrderAction.SELL,
    orderType: IB_ORDER_TYPE[t.orderType],
    totalQuantity: t.quantity,
    lmtPrice: t.orderType === "LMT" || t.orderType === "STP LMT" ? t.limitPrice : undefined,
    auxPrice: t.orderType === "STP" || t.orderType === "STP LMT" ? t.auxPrice : undefined,
    triggerMethod: t.triggerMethod,
    tif: t.tif === "GTC" ? TimeInForce.GTC : TimeInForce.DAY,
    orderRef: t.orderRef,
    ocaGroup: t.ocaGroup,
    ocaType: t.ocaGroup ? (t.ocaType ?? 2) : undefined,
    account: t.account,
    // Always explicit: the client sends an unset `transmit` as an empty field.
    transmit: true,
  };
}

/**
 * Sends (or, with an id already used, modifies) an order and resolves on the gateway's
 * acknowledgement (openOrder for that id); rejects with IB's reason (e.g. 201).
 */
export function transmitOrder(session: IbSession, orderId: number, ticket: OrderTicket): Promise<OrderAck> {
  return session.request<OrderAck>((done, fail) => {
    const onOpen = (id: number, _c: unknown, order: Order, state: { status?: string }) => {
      if (id === orderId) done({ orderId, permId: order.permId ?? 0, status: String(state?.status ?? "") });
    };
    const onError = (err: Error, code: number, id: number) => {
      if (id !== orderId || isOrderWarning(code)) return;
      fail(new BrokerRequestError(code, `${err?.message ?? err} (${code})`));
    };
    session.api.on(EventName.openOrder, onOpen);
    session.api.on(EventName.error, onError);
    session.api.placeOrder(orderId, toIbContract(ticket.contract), toIbOrder(ticket));
    return () => {
      session.api.off(EventName.openOrder, onOpen);
      session.api.off(EventName.error, onError);
    };
  });
}

export function cancelOrder(session: IbSession, orderId: number): void {
  session.api.cancelOrder(orderId);
}
