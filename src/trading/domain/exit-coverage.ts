import { exitKindOf, workingQuantity } from "./live-orders.js";
import { type ExitKind, parseOrderRef } from "./order-refs.js";
import type { ExitOrderSummary } from "./reconcile-findings.js";
import type { BrokerOrderInput } from "./reconcile-inputs.js";

export interface PositionExits {
  tp: ExitOrderSummary[];
  sl: ExitOrderSummary[];
  tpCovered: boolean;
  slCovered: boolean;
}

export function summarizeExit(order: BrokerOrderInput, exit: ExitKind): ExitOrderSummary {
  const price = exit === "tp" ? order.limitPrice : order.auxPrice;
  return {
    orderId: order.orderId,
    orderRef: order.orderRef,
    exit,
    quantity: workingQuantity(order),
    ...(price !== undefined ? { price } : {}),
    ...(order.ocaGroup ? { ocaGroup: order.ocaGroup } : {}),
  };
}

/**
 * Shares one contract's live exit orders out among the short positions held in it. An order whose
 * ref names a position (tw:tp:18) serves that position first; what is left of every order then
 * serves the others in position-id order, so manual exits placed in TWS still count.
 */
export function coverExits(
  shorts: readonly { id: number; quantity: number }[],
  liveOrders: readonly BrokerOrderInput[],
): Map<number, PositionExits> {
  const result = new Map<number, PositionExits>();
  for (const p of shorts) result.set(p.id, { tp: [], sl: [], tpCovered: false, slCovered: false });
  for (const exit of ["tp", "sl"] as const) {
    const orders = liveOrders.filter((o) => exitKindOf(o) === exit).sort((a, b) => a.orderId - b.orderId);
    const capacity = orders.map((o) => Math.max(0, workingQuantity(o)));
    const need = new Map(shorts.map((p) => [p.id, Math.abs(p.quantity)]));
    const take = (positionId: number, index: number) => {
      const order = orders[index];
      const wanted = need.get(positionId) ?? 0;
      const available = capacity[index] ?? 0;
      if (!order || wanted <= 0 || available <= 0) return;
      const taken = Math.min(wanted, available);
      need.set(positionId, wanted - taken);
      capacity[index] = available - taken;
      result.get(positionId)?.[exit].push(summarizeExit(order, exit));
    };
    orders.forEach((order, index) => {
      const ref = parseOrderRef(order.orderRef);
      if ((ref.kind === "tp" || ref.kind === "sl") && typeof ref.positionId === "number")
        take(ref.positionId, index);
    });
    for (const p of shorts) for (let index = 0; index < orders.length; index++) take(p.id, index);
    for (const p of shorts) {
      const exits = result.get(p.id);
      if (!exits) continue;
      if (exit === "tp") exits.tpCovered = need.get(p.id) === 0;
      else exits.slCovered = need.get(p.id) === 0;
    }
  }
  return result;
}

/** Every TP shares a (non-empty) OCA group with some SL, and every SL with some TP. */
export function exitsShareOca(exits: PositionExits): boolean {
  const tpGroups = new Set(exits.tp.map((o) => o.ocaGroup).filter(Boolean));
  const slGroups = new Set(exits.sl.map((o) => o.ocaGroup).filter(Boolean));
  return (
    exits.tp.every((o) => o.ocaGroup !== undefined && slGroups.has(o.ocaGroup)) &&
    exits.sl.every((o) => o.ocaGroup !== undefined && tpGroups.has(o.ocaGroup))
  );
}
