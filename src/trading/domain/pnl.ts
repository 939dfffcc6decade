export interface ShortOptionTrade {
  /** Per share: the credit received. */
  entryPrice: number;
  /** Per share: what it cost to buy back (0 when it expired worthless). */
  exitPrice: number;
  /** Contracts; the sign is ignored (schema quantities are negative for shorts). */
  quantity: number;
  multiplier?: number;
  /** Dollars, all commissions of the round trip. */
  commission?: number;
}

/** Realized dollars of a closed short option: (entry - exit) * |qty| * multiplier - commission, to the cent. */
export function shortOptionPnl(trade: ShortOptionTrade): number {
  const { entryPrice, exitPrice, quantity, multiplier = 100, commission = 0 } = trade;
  return toDollarCents((entryPrice - exitPrice) * Math.abs(quantity) * multiplier - commission);
}

export interface ShortOptionMark {
  entryPrice: number;
  /** Per share: the current price to buy it back (mid or last). */
  mark: number;
  quantity: number;
  multiplier?: number;
}

export interface MarkPnl {
  /** Unrealized dollars, before the commission to close, to the cent. */
  pnl: number;
  /** Share of the credit kept so far: 60 means the TP at 40 % would be reached. */
  creditKeptPct: number;
}

export function markPnl(position: ShortOptionMark): MarkPnl {
  const { entryPrice, mark, quantity, multiplier = 100 } = position;
  const pnl = toDollarCents((entryPrice - mark) * Math.abs(quantity) * multiplier);
  const creditKeptPct = entryPrice > 0 ? Math.round(((entryPrice - mark) / entryPrice) * 10_000) / 100 : 0;
  return { pnl, creditKeptPct };
}

function toDollarCents(dollars: number): number {
  // Removes float noise such as (6.16 - 2.46) * 100 = 370.00000000000006.
  return Math.round(Math.round(dollars * 100 * 1e6) / 1e6) / 100;
}
