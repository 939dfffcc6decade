/**
 * What makes a manual entry worth a second look before it is even requested: more contracts
 * than STRATEGY_QUANTITY_MAX, or a limit far from the mid (a fat-fingered quantity:100 or
 * limit:9999). Each reason in words, for the preview and for the reply that asks for confirm:true.
 */
export const LIMIT_AWAY_FROM_MID = 0.5;

export function confirmReasons(
  p: { quantity: number; limit: number; mid: number },
  quantityMax: number,
): string[] {
  const reasons: string[] = [];
  if (p.quantity > quantityMax) {
    reasons.push(`quantity ${p.quantity} is above STRATEGY_QUANTITY_MAX (${quantityMax} contracts)`);
  }
  const away = p.mid > 0 ? (p.limit - p.mid) / p.mid : 0;
  if (Math.abs(away) > LIMIT_AWAY_FROM_MID) {
    const pct = Math.round(Math.abs(away) * 100);
    reasons.push(
      `limit ${p.limit.toFixed(2)} is ${pct} % ${away > 0 ? "above" : "below"} the mid ${p.mid.toFixed(2)} (more than ${LIMIT_AWAY_FROM_MID * 100} % away)`,
    );
  }
  return reasons;
}
