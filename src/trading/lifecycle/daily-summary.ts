import type { Clock } from "../../clock.js";
import { audit, type Db, executions, positions, trades } from "../../store/index.js";
import type { Alert } from "../alerts.js";
import { zone } from "../domain/zoned-time.js";
import type { Reconciler } from "./reconciler.js";

export type DailySummaryAlert = Extract<Alert, { type: "daily-summary" }>;

/** Milliseconds not "connected" between `from` and `to`, from the supervisor's audited transitions. */
export function downtimeMs(
  transitions: Array<{ at: string; action: string }>,
  from: Date,
  to: Date,
  connectedAtStart: boolean,
): number {
  let down = 0;
  let downSince: number | null = connectedAtStart ? null : from.getTime();
  for (const t of transitions) {
    const at = Date.parse(t.at);
    const connected = t.action === "connection.connected";
    if (connected && downSince !== null) {
      down += at - downSince;
      downSince = null;
    } else if (!connected && downSince === null) downSince = at;
  }
  if (downSince !== null) down += to.getTime() - downSince;
  return down;
}

/**
 * After the close: positions and their exit coverage, today's fills and realized P&L, and how
 * long the gateway was not connected today.
 */
export async function dailySummary(deps: {
  db: Db;
  clock: Clock;
  reconciler: Reconciler;
  timezone: string;
}): Promise<DailySummaryAlert> {
  const { db, clock, reconciler, timezone } = deps;
  const now = clock.now();
  const tz = zone(timezone);
  const day = tz.wallTime(now).day;
  const start = tz.instantOf(day, 0, 0);
  let uncovered: number[] | null = null;
  try {
    const report = await reconciler.run("daily summary");
    uncovered = report.findings.flatMap((f) => (f.kind === "missing-exits" ? [f.positionId] : []));
  } catch {
    uncovered =
      reconciler.lastReport?.findings.flatMap((f) => (f.kind === "missing-exits" ? [f.positionId] : [])) ??
      null;
  }
  const [open, fills, closed, transitions] = await Promise.all([
    positions.openPositions(db),
    executions.executionsSince(db, start),
    trades.tradesSince(db, start),
    audit.auditEventsSince(db, start, "connection."),
  ]);
  const before = await audit.auditEventsSince(db, new Date(start.getTime() - 7 * 86_400_000), "connection.");
  const lastBefore = before.filter((e) => Date.parse(e.at) < start.getTime()).at(-1);
  // With no history before today (a fresh install), the time before the bot ran is not downtime.
  const connectedAtStart = lastBefore ? lastBefore.action === "connection.connected" : true;
  return {
    type: "daily-summary",
    tradingDay: day,
    openPositions: open.length,
    uncovered,
    fills: fills.length,
    closedTrades: closed.length,
    realizedPnl: Math.round(closed.reduce((sum, t) => sum + t.pnl, 0) * 100) / 100,
    downtimeMs: downtimeMs(transitions, start, now, connectedAtStart),
  };
}
