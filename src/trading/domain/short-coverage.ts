import { coverExits } from "./exit-coverage.js";
import { isLiveOrderStatus } from "./live-orders.js";
import type { ExitOrderSummary } from "./reconcile-findings.js";
import type { BrokerOrderInput, BrokerPositionInput } from "./reconcile-inputs.js";

/** A short option the broker holds and how much of it working BUY exits (any client's) cover. */
export interface ShortCoverage {
  conId: number;
  symbol: string;
  strike: number;
  right: string;
  expiry: string;
  short: number;
  tp: number;
  sl: number;
}

/**
 * The broker's short options whose working TP (BUY LMT) or SL (BUY STP / STP LMT) quantity is below
 * the short: what the account actually has unprotected, whatever the journal says.
 */
export function uncoveredShorts(
  brokerPositions: readonly BrokerPositionInput[],
  openOrders: readonly BrokerOrderInput[],
): ShortCoverage[] {
  const out: ShortCoverage[] = [];
  for (const p of brokerPositions) {
    if (p.quantity >= 0 || (p.contract.secType && p.contract.secType !== "OPT")) continue;
    const live = openOrders.filter(
      (o) =>
        o.contract.conId === p.contract.conId &&
        isLiveOrderStatus(o.status) &&
        (!o.account || !p.account || o.account === p.account),
    );
    // The same sharing of exits among shorts that /positions uses (coverExits), over the broker's short.
    const exits = coverExits([{ id: p.contract.conId, quantity: p.quantity }], live).get(p.contract.conId);
    const covered = (list: ExitOrderSummary[] | undefined) =>
      (list ?? []).reduce((t, o) => t + Math.max(0, o.quantity), 0);
    const cover: ShortCoverage = {
      conId: p.contract.conId,
      symbol: p.contract.symbol ?? "",
      strike: p.contract.strike ?? 0,
      right: p.contract.right ?? "",
      expiry: p.contract.expiry ?? "",
      short: -p.quantity,
      tp: covered(exits?.tp),
      sl: covered(exits?.sl),
    };
    if (!exits?.tpCovered || !exits.slCovered) out.push(cover);
  }
  return out;
}
