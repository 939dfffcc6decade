/** Money arithmetic of the simulated account: commissions, position booking, margin and summary values. */
import type { Quote } from "./market.js";
import { roundCents } from "./pricing.js";
import type { SimContract, SimPosition } from "./types.js";

export const OPTION_COMMISSION_PER_CONTRACT = 0.65;
/** Exchange, ORF and clearing fees, lumped. */
export const OPTION_FEES_PER_CONTRACT = 0.04;

export function commissionFor(contract: SimContract, quantity: number): number {
  if (contract.secType === "OPT") {
    return roundCents(quantity * (OPTION_COMMISSION_PER_CONTRACT + OPTION_FEES_PER_CONTRACT));
  }
  return roundCents(Math.max(1, quantity * 0.005));
}

/**
 * Books a fill of `signedQty` at `price` into `position` (mutated), as IB does: an opening fill's
 * commission goes into avgCost (a long costs price + commission, a short is credited price -
 * commission), so a closing fill's realized P&L, net of its own commission too, includes both legs'
 * commissions. Returns that realized P&L, or undefined when nothing was closed.
 */
export function bookFill(
  position: SimPosition,
  signedQty: number,
  price: number,
  commission: number,
): number | undefined {
  const cost = price * position.contract.multiplier;
  const qty = Math.abs(signedQty);
  const before = position.pos;
  /** Per contract, commission included (added for a buy, deducted for a sale). */
  const openingCost = cost + (Math.sign(signedQty) * commission) / qty;
  let realized: number | undefined;
  if (before === 0 || Math.sign(before) === Math.sign(signedQty)) {
    const total = Math.abs(before) + qty;
    position.avgCost = (Math.abs(before) * position.avgCost + qty * openingCost) / total;
  } else {
    const closed = Math.min(qty, Math.abs(before));
    const perContract = before > 0 ? cost - position.avgCost : position.avgCost - cost;
    realized = roundCents(closed * perContract - commission * (closed / qty));
    if (qty > Math.abs(before)) position.avgCost = openingCost;
  }
  position.pos = before + signedQty;
  if (position.pos === 0) position.avgCost = 0;
  return realized;
}

export interface AccountValues {
  NetLiquidation: number;
  TotalCashValue: number;
  BuyingPower: number;
  AvailableFunds: number;
  ExcessLiquidity: number;
  MaintMarginReq: number;
  InitMarginReq: number;
  GrossPositionValue: number;
}

/** Reg-T style values; short options use the CBOE rule max(20 % of spot - OTM, 10 % of strike) + premium. */
export function accountValues(
  cash: number,
  positions: readonly SimPosition[],
  quote: (c: SimContract) => Quote,
  spot: number,
): AccountValues {
  let marketValue = 0;
  let gross = 0;
  let maint = 0;
  for (const p of positions) {
    if (p.pos === 0) continue;
    const mark = quote(p.contract).mark;
    const value = p.pos * mark * p.contract.multiplier;
    marketValue += value;
    gross += Math.abs(value);
    if (p.contract.secType === "STK") {
      maint += 0.25 * Math.abs(value);
    } else if (p.pos < 0) {
      const otm = Math.max(0, p.contract.right === "P" ? spot - p.contract.strike : p.contract.strike - spot);
      const perShare = mark + Math.max(0.2 * spot - otm, 0.1 * p.contract.strike);
      maint += Math.abs(p.pos) * p.contract.multiplier * perShare;
    }
  }
  const netLiq = cash + marketValue;
  const available = netLiq - maint;
  return {
    NetLiquidation: roundCents(netLiq),
    TotalCashValue: roundCents(cash),
    BuyingPower: roundCents(Math.max(0, available) * 4),
    AvailableFunds: roundCents(available),
    ExcessLiquidity: roundCents(netLiq - maint),
    MaintMarginReq: roundCents(maint),
    InitMarginReq: roundCents(maint),
    GrossPositionValue: roundCents(gross),
  };
}
