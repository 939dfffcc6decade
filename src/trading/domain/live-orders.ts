import type { ExitKind } from "./order-refs.js";

/** Statuses of an order that is working (or about to be) at the broker. PendingCancel is on its way out. */
export const LIVE_ORDER_STATUSES: ReadonlySet<string> = new Set([
  "Submitted",
  "PreSubmitted",
  "PendingSubmit",
  "ApiPending",
]);

export function isLiveOrderStatus(status: string): boolean {
  return LIVE_ORDER_STATUSES.has(status);
}

/** A BUY LMT is a take-profit, a BUY STP (or STP LMT) a stop-loss; anything else is not one of our exits. */
export function exitKindOf(order: { action: string; orderType: string }): ExitKind | undefined {
  if (order.action !== "BUY") return undefined;
  if (order.orderType === "LMT") return "tp";
  if (order.orderType === "STP" || order.orderType === "STP LMT") return "sl";
  return undefined;
}

/** The contracts an order still has working: `remaining` when the broker reported it, else its size. */
export function workingQuantity(order: { quantity: number; remaining?: number }): number {
  const remaining = order.remaining;
  return remaining !== undefined && Number.isFinite(remaining) ? remaining : order.quantity;
}
