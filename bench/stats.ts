export interface Figure {
  name: string;
  unit: string;
  value: number;
  p50: number;
  p99: number;
  n: number;
  settings: Record<string, unknown>;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, idx)] as number;
}

/** One JSON line per figure: the median as `value`, with p50/p99 over the trials. */
export function figure(
  name: string,
  unit: string,
  samples: number[],
  settings: Record<string, unknown>,
): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  const p50 = round(quantile(sorted, 0.5));
  return { name, unit, value: p50, p50, p99: round(quantile(sorted, 0.99)), n: samples.length, settings };
}

export function print(f: Figure): void {
  process.stdout.write(`${JSON.stringify(f)}\n`);
}
