/** "SPY 624P 2026-04-30": how a trader names an option. */
export function contractLabel(c: { symbol: string; strike: number; right: string; expiry: string }): string {
  const e = c.expiry;
  const day = e.length === 8 ? `${e.slice(0, 4)}-${e.slice(4, 6)}-${e.slice(6, 8)}` : e;
  return `${c.symbol} ${Number(c.strike)}${c.right} ${day}`;
}
