import type { Logger } from "../../log.js";
import type { ApprovalRecord } from "../approvals/approval-record.js";
import type { ApprovalService } from "../approvals/approval-service.js";
import type { DailyEntry } from "./daily-entry.js";
import { catchUpDecision, type DayFacts, NOT_RUNNING, tickAction } from "./entry-rules.js";
import type { ScheduleAlert } from "./schedule-alerts.js";

export interface SequenceDeps {
  daily: DailyEntry;
  approvals: ApprovalService;
  needsApproval: boolean;
  /** When the day's entry is scheduled; null on a day the schedule skips. */
  entryAt(tradingDay: string): Date | null;
  /** "09:35 America/New_York" */
  entryLabel: string;
  logger: Logger;
}

/** The scheduled tick: claims the day once, then skips, records a miss, asks for approval or places. */
export async function runScheduledEntry(deps: SequenceDeps, facts: DayFacts): Promise<void> {
  const { daily, logger } = deps;
  const { tradingDay } = facts;
  const step = tickAction(facts, deps.needsApproval);
  let claimed: boolean;
  switch (step.action) {
    case "skip": {
      const alerts: ScheduleAlert[] = step.alert
        ? [{ type: "entry-skipped", tradingDay, reason: step.reason }]
        : [];
      claimed = await daily.claim(tradingDay, "skipped", step.reason, alerts);
      break;
    }
    case "miss": {
      const catchUpUntil = step.catchUpUntil?.toISOString() ?? null;
      const alert: ScheduleAlert = { type: "entry-missed", tradingDay, reason: step.reason, catchUpUntil };
      claimed = await daily.claim(tradingDay, "missed", step.reason, [alert]);
      break;
    }
    case "ask":
      claimed = await daily.claim(
        tradingDay,
        "awaiting-approval",
        "waiting for approval (ENTRY_NEEDS_APPROVAL)",
      );
      if (claimed) await askForEntry(deps, tradingDay, step.windowEnd);
      break;
    case "place":
      claimed = await daily.claim(tradingDay, "placing", null);
      if (claimed) {
        await daily.place(tradingDay, {
          actor: "schedule",
          gatewayDownIsMissed: true,
          alertOnFailure: true,
          catchUpUntil: step.windowEnd,
        });
      }
      break;
  }
  if (!claimed) logger.info({ tradingDay }, "schedule: the day's entry was already claimed; nothing to do");
}

async function askForEntry(deps: SequenceDeps, tradingDay: string, windowEnd: Date): Promise<void> {
  try {
    await deps.approvals.request({
      kind: "scheduled-entry",
      payload: { tradingDay },
      requestedBy: "schedule",
      summary: `Place the scheduled ${deps.entryLabel} entry for ${tradingDay} now?`,
      notAfter: windowEnd,
    });
  } catch (err) {
    const error = `could not ask for approval: ${err instanceof Error ? err.message : String(err)}`;
    const alerts: ScheduleAlert[] = [{ type: "entry-failed", tradingDay, error, actor: "schedule" }];
    await deps.daily.move({
      tradingDay,
      to: "failed",
      reason: error,
      from: ["awaiting-approval"],
      actor: "schedule",
      alerts,
    });
  }
}

/**
 * On "synced": one catch-up approval for today's missed entry, while the window is open. Moving the
 * run from "missed" to "awaiting-approval" is the once-per-day guard: later syncs find it moved.
 */
export async function offerCatchUp(deps: SequenceDeps, facts: DayFacts): Promise<ApprovalRecord | null> {
  const { daily, logger } = deps;
  const { tradingDay } = facts;
  let run = await daily.run(tradingDay);
  const decision = catchUpDecision(facts, run, deps.entryAt(tradingDay));
  if (!decision.offer) {
    logger.debug({ tradingDay, why: decision.why }, "schedule: no catch-up");
    return null;
  }
  if (decision.claimFirst) {
    const catchUpUntil = decision.windowEnd.toISOString();
    const alert: ScheduleAlert = { type: "entry-missed", tradingDay, reason: NOT_RUNNING, catchUpUntil };
    if (!(await daily.claim(tradingDay, "missed", NOT_RUNNING, [alert]))) return null;
    run = await daily.run(tradingDay);
  }
  const missedBecause = run?.reason ?? "unknown reason";
  const offered = { tradingDay, from: ["missed"] as const, actor: "schedule" };
  if (!(await daily.move({ ...offered, to: "awaiting-approval", reason: "catch-up offered" }))) return null;
  try {
    return await deps.approvals.request({
      kind: "catch-up-entry",
      payload: { tradingDay },
      requestedBy: "schedule",
      summary: `Today's ${deps.entryLabel} entry was missed (${missedBecause}). Place today's entry now?`,
      notAfter: decision.windowEnd,
    });
  } catch (err) {
    // Back to "missed", so the next sync can offer it again.
    await daily.move({ ...offered, from: ["awaiting-approval"], to: "missed", reason: missedBecause });
    throw err;
  }
}
