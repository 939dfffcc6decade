import { duration, modeLabel } from "./format.js";
import type { StatusView } from "./ops.js";
import { etDayTime, etWhen } from "./times.js";

/** The broker's short options and their exits, in words: unknown is not "missing". */
export function exitCoverageText(
  uncovered: Array<{ contract: string; short: number; tp: number; sl: number }> | null,
): string {
  if (uncovered === null) return "unknown (the broker's positions or orders are not known now)";
  if (uncovered.length === 0) return "every short at the broker has a live TP and SL";
  return `MISSING at the broker on ${uncovered.map((u) => `${u.contract} (short ${u.short}: TP ${u.tp}, SL ${u.sl})`).join(", ")}`;
}

/** `/status` as plain text lines, for the console (Discord renders the same view as an embed). */
export function statusLines(v: StatusView): string[] {
  const ages = v.cacheAgesMs;
  const now = new Date(Date.parse(v.since) + v.forMs);
  const age = (ms: number | null, part: string) =>
    ms === null ? `${part} unknown` : `${part} ${duration(ms)}${ms > v.staleAfterMs ? " (STALE)" : ""}`;
  const lines = [
    `Mode: ${modeLabel(v.mode)}`,
    `Connection: ${v.state.toUpperCase()} for ${duration(v.forMs)} (since ${etWhen(v.since, now)}): ${v.reason}`,
    `Gateway: ${v.endpoint}, client id ${v.clientId}, server version ${v.serverVersion ?? "unknown"}, account ${v.account ?? "unknown"}`,
    ...(v.accountProblem ? [`ACCOUNT: ${v.accountProblem}`] : []),
    `Heartbeat: ${
      v.lastHeartbeatRttMs === null
        ? "no reply yet"
        : `${v.lastHeartbeatRttMs} ms round trip, ${duration(v.lastHeartbeatAgoMs)} ago`
    }`,
    `Data age: ${age(ages.positions, "positions")}, ${age(ages.orders, "orders")}, ${age(ages.account, "account")}`,
    `Positions: ${v.brokerPositions ?? "unknown"} at the broker, ${v.storedOpenPositions} open in the journal; open orders: ${v.brokerOpenOrders ?? "unknown"}`,
  ];
  const sch = v.schedule;
  if (sch) {
    const today = sch.today
      ? `today ${sch.today.status}${sch.today.reason ? ` (${sch.today.reason})` : ""}`
      : "today not run yet";
    lines.push(
      `Schedule: ${sch.paused ? `PAUSED by ${sch.pausedBy ?? "someone"}` : "running"}; next entry ${sch.nextEntry ? etDayTime(sch.nextEntry) : "unknown"}; ${today}`,
    );
    lines.push(`Exits: ${exitCoverageText(sch.uncoveredShorts)}; pending approvals: ${sch.pendingApprovals}`);
  }
  if (v.netLiquidation !== null) lines.push(`Net liquidation: ${v.netLiquidation} USD`);
  if (v.brokenFarms.length > 0) lines.push(`Broken farms: ${v.brokenFarms.join(", ")}`);
  if (!v.alertsDelivering) lines.push(`Alerts: NOT DELIVERING: ${deliveryLine(v)}`);
  else if (v.undeliveredAlerts > 0) lines.push(`Alerts waiting for delivery: ${v.undeliveredAlerts}`);
  return lines;
}

/** "3 waiting, the oldest for 5m: posting to Discord channel ... failed: 403 Missing Access (50001)" */
export function deliveryLine(v: StatusView): string {
  const oldest =
    v.oldestUndeliveredAgeMs === null ? "" : `, the oldest for ${duration(v.oldestUndeliveredAgeMs)}`;
  return `${v.undeliveredAlerts} waiting${oldest}: ${v.deliveryError ?? "the chat refuses them"}`;
}
