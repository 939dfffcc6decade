/** Our own broker vocabulary: what the trading services see, independent of the IB client library. */

export interface BrokerContract {
  conId: number;
  symbol: string;
  secType: string;
  expiry?: string;
  strike?: number;
  right?: "P" | "C";
  multiplier?: number;
  exchange?: string;
  currency?: string;
  localSymbol?: string;
  tradingClass?: string;
}

export interface BrokerPosition {
  account: string;
  contract: BrokerContract;
  quantity: number;
  /** Per contract, as IB reports it (price x multiplier for options). */
  avgCost: number;
}

export interface BrokerOrder {
  orderId: number;
  permId: number;
  clientId: number;
  orderRef: string;
  account: string;
  contract: BrokerContract;
  action: "BUY" | "SELL";
  orderType: string;
  quantity: number;
  limitPrice?: number;
  auxPrice?: number;
  tif: string;
  ocaGroup?: string;
  ocaType?: number;
  parentId?: number;
  status: string;
  filled: number;
  remaining: number;
  avgFillPrice?: number;
}

/** An order that ended (reqCompletedOrders): how, and when, beyond today's executions. */
export interface CompletedOrder extends BrokerOrder {
  completedStatus: string;
  completedTime: string;
}

export interface BrokerExecution {
  execId: string;
  orderId: number;
  permId: number;
  clientId: number;
  orderRef: string;
  account: string;
  contract: BrokerContract;
  side: "BOT" | "SLD";
  shares: number;
  price: number;
  time: string;
  commission?: number;
  realizedPnl?: number;
}

export type AccountSummary = Record<string, { value: string; currency: string }>;

export interface OrderStatusUpdate {
  orderId: number;
  permId: number;
  clientId: number;
  status: string;
  filled: number;
  remaining: number;
  avgFillPrice: number;
  lastFillPrice: number;
}

/** Everything the broker tells us without being asked. */
export type BrokerEvent =
  | { type: "info"; code: number; message: string }
  | { type: "error"; code: number; message: string; reqId: number }
  | { type: "order-status"; update: OrderStatusUpdate }
  | { type: "open-order"; order: BrokerOrder }
  | { type: "execution"; execution: BrokerExecution }
  | { type: "commission"; execId: string; commission: number; realizedPnl?: number }
  /** A held position changed (streamed by the positions subscription); quantity 0 when closed. */
  | { type: "position"; position: BrokerPosition; previousQuantity: number }
  | { type: "closed" };
