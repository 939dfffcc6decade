import type { Severity } from "../alerts.js";
import { clockTime } from "../approvals/approval-alerts.js";

/**
 * Alerts about the day's scheduled entry. The lead merges this union into `Alert`
 * (src/trading/alerts.ts), the severities into SEVERITY and `describeScheduleAlert` into `describeAlert`.
 */
export type ScheduleAlert =
  | { type: "entry-skipped"; tradingDay: string; reason: string }
  | {
      type: "entry-missed";
      tradingDay: string;
      reason: string;
      /** ISO UTC: a catch-up approval is offered if the gateway is back (and synced) before this; null when too late. */
      catchUpUntil: string | null;
    }
  | { type: "entry-failed"; tradingDay: string; error: string; actor: string }
  | {
      type: "preflight-problems";
      tradingDay: string;
      /** ISO UTC of today's scheduled entry. */
      entryAt: string;
      problems: string[];
      /** The market data in force, missing subscriptions and how a delta was had (may be absent on old rows). */
      report?: string[];
    }
  /** A pre-flight that found nothing blocking, but data that is not live or a delta that is the bot's own. */
  | { type: "preflight-report"; tradingDay: string; entryAt: string; report: string[] };

export const SCHEDULE_ALERT_SEVERITY: Record<ScheduleAlert["type"], Severity> = {
  "entry-skipped": "info",
  "entry-missed": "urgent",
  "entry-failed": "urgent",
  "preflight-problems": "warning",
  "preflight-report": "info",
};

export function severityOfScheduleAlert(alert: ScheduleAlert): Severity {
  return SCHEDULE_ALERT_SEVERITY[alert.type];
}

export function describeScheduleAlert(
  alert: ScheduleAlert,
  timeZone = "America/New_York",
): { title: string; text: string } {
  switch (alert.type) {
    case "entry-skipped":
      return { title: `Scheduled entry skipped (${alert.tradingDay})`, text: `${cap(alert.reason)}.` };
    case "entry-missed": {
      const next = alert.catchUpUntil
        ? ` If the gateway is back before ${clockTime(alert.catchUpUntil, timeZone)}, you will be asked to place it then.`
        : " It is too late to place it today.";
      return {
        title: `Scheduled entry MISSED (${alert.tradingDay})`,
        text: `Nothing was placed: ${alert.reason}.${next}`,
      };
    }
    case "entry-failed":
      return {
        title: `Scheduled entry FAILED (${alert.tradingDay})`,
        text: `${cap(alert.error)} It will not be retried on its own; check /orders and use /entry if you still want it.`,
      };
    case "preflight-problems":
      return {
        title: `Pre-flight: the ${clockTime(alert.entryAt, timeZone)} entry may not go through`,
        text: [...alert.problems.map((p) => `- ${p}`), ...(alert.report ?? [])].join("\n"),
      };
    case "preflight-report":
      return {
        title: `Pre-flight: the ${clockTime(alert.entryAt, timeZone)} entry can go, on ${alert.report.some((l) => /DELAYED/.test(l)) ? "DELAYED data" : "the data below"}`,
        text: alert.report.join("\n"),
      };
  }
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
