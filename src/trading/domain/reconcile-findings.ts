import type { ExitKind } from "./order-refs.js";
import type { BrokerPositionInput, ExecutionInput } from "./reconcile-inputs.js";

/** A live exit-like order (BUY LMT = tp, BUY STP = sl) as findings show it. */
export interface ExitOrderSummary {
  orderId: number;
  orderRef: string;
  exit: ExitKind;
  /** Contracts still working. */
  quantity: number;
  price?: number;
  ocaGroup?: string;
}

interface PositionRef {
  positionId: number;
  account: string;
  conId: number;
  /** Stored, signed: -1 is one contract short. */
  quantity: number;
}

/** A stored open short lacks a live TP and/or SL covering its quantity. `present` lists what it does have. */
export interface MissingExitsFinding extends PositionRef {
  kind: "missing-exits";
  missing: "tp" | "sl" | "both";
  present: ExitOrderSummary[];
}

/** TP and SL both exist, but they are not linked in one OCA group: both could fill. */
export interface ExitsNotOcaFinding extends PositionRef {
  kind: "exits-not-oca";
  tp: ExitOrderSummary[];
  sl: ExitOrderSummary[];
}

/** More live TP (or SL) contracts than the broker's short: the surplus would open a long if it filled. */
export interface ExcessExitsFinding {
  kind: "excess-exits";
  account: string;
  conId: number;
  exit: ExitKind;
  liveQuantity: number;
  shortQuantity: number;
  orders: ExitOrderSummary[];
}

/** A live BUY LMT/STP on a contract the broker holds no short in: it would open a long if it filled. */
export interface OrphanExitFinding {
  kind: "orphan-exit";
  account: string;
  conId: number;
  order: ExitOrderSummary;
  /** True when the orderRef is ours (tw:...), false for manual or foreign orders. */
  ours: boolean;
}

/** The broker holds a position the store does not know: a manual trade in TWS, a candidate to adopt. */
export interface UnknownPositionFinding {
  kind: "unknown-position";
  account: string;
  conId: number;
  position: BrokerPositionInput;
}

/** Stored open, but the broker holds none: closed while we were away. */
export interface VanishedPositionFinding extends PositionRef {
  kind: "vanished-position";
  /** "execution": closing executions cover the quantity; "expiry": the option expired before today. */
  explainedBy: "execution" | "expiry" | null;
  executions: ExecutionInput[];
}

/** Stored and broker quantities differ for a contract (stored summed over its open positions). */
export interface QuantityMismatchFinding {
  kind: "quantity-mismatch";
  account: string;
  conId: number;
  positionIds: number[];
  storedQuantity: number;
  brokerQuantity: number;
}

export type ReconcileFinding =
  | MissingExitsFinding
  | ExitsNotOcaFinding
  | ExcessExitsFinding
  | OrphanExitFinding
  | UnknownPositionFinding
  | VanishedPositionFinding
  | QuantityMismatchFinding;

export type ReconcileFindingKind = ReconcileFinding["kind"];
