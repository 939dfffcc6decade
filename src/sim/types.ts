/** The simulator's own model of contracts, orders, executions and positions (plain JSON). */

export type Right = "P" | "C";
export type Action = "BUY" | "SELL";
export type OrderType = "LMT" | "STP" | "STP LMT" | "MKT";
export type OrderStatus = "PreSubmitted" | "Submitted" | "Filled" | "Cancelled" | "Inactive";

export interface SimContract {
  conId: number;
  symbol: string;
  secType: "STK" | "OPT";
  /** YYYYMMDD for options, "" for stock. */
  expiry: string;
  strike: number;
  right: Right | "";
  multiplier: number;
  exchange: string;
  primaryExch: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
}

export interface SimOrder {
  orderId: number;
  clientId: number;
  permId: number;
  account: string;
  contract: SimContract;
  action: Action;
  totalQuantity: number;
  orderType: OrderType;
  lmtPrice?: number;
  auxPrice?: number;
  tif: string;
  ocaGroup: string;
  ocaType: number;
  orderRef: string;
  parentId: number;
  transmit: boolean;
  outsideRth: boolean;
  status: OrderStatus;
  /** Held orders are live but not working: transmit=false, or a child whose parent has not filled. */
  held: boolean;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  /** Why it ended, when it has: "filled", "cancelled", "oca", "rejected", "global-cancel", "parent-cancelled", "expired". */
  endReason?: string;
  /** 0 = default; see README (stop triggers). */
  triggerMethod?: number;
  /** A stop that has triggered (STP now a market order, STP LMT a limit order). */
  triggered?: boolean;
  /** Consecutive quote observations touching the stop (double methods need 2). */
  triggerHits?: number;
  /** ISO time it ended (Filled or Cancelled), for reqCompletedOrders. */
  completedTime?: string;
  /** IB's completedStatus text, e.g. "Filled", "Cancelled by Trader". */
  completedStatus?: string;
}

export interface SimExecution {
  execId: string;
  orderId: number;
  clientId: number;
  permId: number;
  account: string;
  contract: SimContract;
  side: "BOT" | "SLD";
  /** This execution's quantity. */
  shares: number;
  price: number;
  /** The order's filled quantity and average price including this execution. */
  cumQty: number;
  avgPrice: number;
  /** ISO time of the fill. */
  time: string;
  orderRef: string;
  commission: number;
  /** Undefined for an opening fill (IB sends Double.MAX_VALUE). */
  realizedPNL?: number;
}

export interface SimPosition {
  account: string;
  contract: SimContract;
  pos: number;
  /** Per contract, i.e. price * multiplier, as IB reports it. */
  avgCost: number;
}

export function isLive(order: SimOrder): boolean {
  return order.status === "PreSubmitted" || order.status === "Submitted";
}
