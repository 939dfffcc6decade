import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * Today's view of the database, for queries. Migrations never import this file.
 * Times are ISO-8601 UTC strings (`Date#toISOString()`), so they sort and compare as text.
 * Prices are per share unless a column says otherwise. JSON columns hold text.
 */
export interface Database {
  positions: PositionsTable;
  orders: OrdersTable;
  executions: ExecutionsTable;
  trades: TradesTable;
  approvals: ApprovalsTable;
  alerts: AlertsTable;
  audit_events: AuditEventsTable;
  settings: SettingsTable;
  trading_days: TradingDaysTable;
  entry_runs: EntryRunsTable;
}

/** An ISO-8601 UTC timestamp, e.g. "2026-02-04T14:42:00.000Z". */
export type IsoTime = string;
/** Text holding JSON. */
export type JsonText = string;

export type OptionRight = "P" | "C";
export type PositionSource = "strategy" | "manual" | "adopted";
export type PositionStatus = "open" | "closed" | "expired" | "assigned";
export type CloseReason = "tp" | "sl" | "manual" | "expired" | "assigned" | "external";

export interface PositionsTable {
  id: Generated<number>;
  strategy: string;
  account: string;
  con_id: number;
  symbol: string;
  sec_type: string;
  /** YYYYMMDD */
  expiry: string;
  strike: number;
  right: OptionRight;
  multiplier: ColumnType<number, number | undefined, number>;
  /** Signed: -1 is one contract short. */
  quantity: number;
  /** Per share; for a short, the credit received. */
  entry_price: number;
  entry_order_ref: string | null;
  source: PositionSource;
  status: PositionStatus;
  opened_at: IsoTime;
  closed_at: IsoTime | null;
  close_price: number | null;
  close_reason: CloseReason | null;
  updated_at: IsoTime;
}

export type OrderIntent = "entry" | "tp" | "sl" | "close";
export type OrderAction = "BUY" | "SELL";
export type OrderType = "LMT" | "STP" | "STP LMT" | "MKT";
export type OrderState =
  | "journaled"
  | "transmitted"
  | "acknowledged"
  | "filled"
  | "cancelled"
  | "rejected"
  | "inactive"
  | "unknown";

/** The order journal: a row is written before the order is transmitted. */
export interface OrdersTable {
  id: Generated<number>;
  /** Idempotency key, also sent to IB as `orderRef`, e.g. "tw:tp:18". */
  order_ref: string;
  intent: OrderIntent;
  position_id: number | null;
  strategy: string | null;
  /** YYYY-MM-DD */
  trading_day: string | null;
  con_id: number;
  symbol: string;
  sec_type: string;
  expiry: string;
  strike: number;
  right: OptionRight;
  action: OrderAction;
  order_type: OrderType;
  /** Always positive; `action` gives the direction. */
  quantity: number;
  limit_price: number | null;
  aux_price: number | null;
  tif: string;
  oca_group: string | null;
  /** IB's triggerMethod for a stop (8: mid-point); null for IB's default. */
  trigger_method: ColumnType<number | null, number | null | undefined, number | null>;
  broker_order_id: number | null;
  perm_id: number | null;
  client_id: number | null;
  state: OrderState;
  filled_qty: Generated<number>;
  avg_fill_price: number | null;
  last_error: string | null;
  /** 1: an entry whose limit the strategy steps down its price ladder (see 002_entry_ladder). */
  reprice: Generated<number>;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export type ExecutionSide = "BOT" | "SLD";

export interface ExecutionsTable {
  /** The current version's execId (a correction replaces it). */
  exec_id: string;
  /** The execId up to its last period: the same for an execution and its corrections. */
  exec_key: ColumnType<string | null, string | undefined, string>;
  order_ref: string | null;
  order_id: number | null;
  broker_order_id: number;
  perm_id: number;
  con_id: number;
  side: ExecutionSide;
  shares: number;
  price: number;
  executed_at: IsoTime;
  /** Dollars, from IB's commission report (which arrives separately). */
  commission: number | null;
  realized_pnl: number | null;
  position_id: number | null;
  received_at: IsoTime;
}

export interface TradesTable {
  id: Generated<number>;
  position_id: number;
  /** The position's signed quantity: -1 for one short contract. */
  quantity: number;
  entry_price: number;
  exit_price: number;
  /** Dollars, after commissions. */
  pnl: number;
  /** Dollars. */
  commission: number;
  reason: CloseReason;
  opened_at: IsoTime;
  closed_at: IsoTime;
  /** The execution that closed it, when one did (not for an expiry). */
  exec_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ApprovalKind = "entry" | "catch-up-entry" | "reattach" | "adopt" | "scheduled-entry";
export type ApprovalStatus =
  | "pending"
  | "approved"
  | "rejected"
  | "expired"
  | "executed"
  | "failed"
  /** Closed without a decision: superseded by a newer request, or its premise no longer holds. */
  | "withdrawn";

export interface ApprovalsTable {
  /** Short random id, shown on the button. */
  id: string;
  kind: ApprovalKind;
  payload: JsonText;
  /** "schedule", "console" or "discord:<userId>". */
  requested_by: string;
  nonce: string;
  status: ApprovalStatus;
  created_at: IsoTime;
  expires_at: IsoTime;
  decided_by: string | null;
  decided_at: IsoTime | null;
  result: JsonText | null;
  /** Where the request was posted (e.g. "channelId/messageId"), so it can be edited later. */
  chat_ref: string | null;
}

export type AlertSeverity = "info" | "warning" | "urgent";

/** The outbox: written in the same transaction as the change that raised it. */
export interface AlertsTable {
  id: Generated<number>;
  type: string;
  severity: AlertSeverity;
  payload: JsonText;
  created_at: IsoTime;
  attempts: Generated<number>;
  next_attempt_at: IsoTime;
  delivered_at: IsoTime | null;
  last_error: string | null;
  chat_ref: string | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: IsoTime;
  actor: string;
  action: string;
  detail: JsonText;
}

export interface SettingsTable {
  key: string;
  value: JsonText;
  updated_at: IsoTime;
}

export interface TradingDaysTable {
  /** YYYY-MM-DD in the exchange's time zone. */
  day: string;
  status: "open" | "closed";
  open_at: IsoTime | null;
  close_at: IsoTime | null;
  source: string;
  updated_at: IsoTime;
}

export type EntryRunStatus =
  | "scheduled"
  | "skipped"
  | "missed"
  | "placing"
  | "placed"
  | "filled"
  | "failed"
  | "awaiting-approval";

/** One row per strategy and trading day: the at-most-one-entry-per-day guard. */
export interface EntryRunsTable {
  id: Generated<number>;
  strategy: string;
  trading_day: string;
  status: EntryRunStatus;
  reason: string | null;
  order_ref: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export type PositionRow = Selectable<PositionsTable>;
export type NewPositionRow = Insertable<PositionsTable>;
export type PositionUpdate = Updateable<PositionsTable>;

export type OrderRow = Selectable<OrdersTable>;
export type NewOrderRow = Insertable<OrdersTable>;
export type OrderUpdate = Updateable<OrdersTable>;

export type ExecutionRow = Selectable<ExecutionsTable>;
export type NewExecutionRow = Insertable<ExecutionsTable>;

export type TradeRow = Selectable<TradesTable>;
export type NewTradeRow = Insertable<TradesTable>;

export type ApprovalRow = Selectable<ApprovalsTable>;
export type NewApprovalRow = Insertable<ApprovalsTable>;

export type AlertRow = Selectable<AlertsTable>;
export type NewAlertRow = Insertable<AlertsTable>;

export type AuditEventRow = Selectable<AuditEventsTable>;
export type SettingRow = Selectable<SettingsTable>;
export type TradingDayRow = Selectable<TradingDaysTable>;
export type NewTradingDayRow = Insertable<TradingDaysTable>;

export type EntryRunRow = Selectable<EntryRunsTable>;
export type EntryRunUpdate = Updateable<EntryRunsTable>;
