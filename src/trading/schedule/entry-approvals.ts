import { z } from "zod";
import type { Clock } from "../../clock.js";
import { calendar, type Db } from "../../store/index.js";
import type { ApprovalRecord } from "../approvals/approval-record.js";
import type { ApprovalService } from "../approvals/approval-service.js";
import type { EffectResult } from "../approvals/approval-types.js";
import { isEntryAllowed } from "../domain/entry-window.js";
import type { DailyEntry } from "./daily-entry.js";
import { toTradingDayLike } from "./entry-rules.js";

/** What a "scheduled-entry" or "catch-up-entry" approval carries. */
export const entryApprovalPayload = z.object({ tradingDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
export type EntryApprovalPayload = z.infer<typeof entryApprovalPayload>;

export interface EntryApprovalDeps {
  db: Db;
  clock: Clock;
  daily: DailyEntry;
  entryTime: string;
  windowEnd: string;
  timeZone: string;
}

/**
 * The effects of the schedule's approvals: place the day's entry, once, inside the entry window.
 * A run waiting on its approval ("awaiting-approval") becomes "placing" in one conditional update,
 * so only one approval (and never the schedule as well) can place the day's entry.
 */
export function registerEntryApprovals(approvals: ApprovalService, deps: EntryApprovalDeps): void {
  for (const kind of ["scheduled-entry", "catch-up-entry"] as const) {
    approvals.registerEffect(kind, (approval) => placeApproved(deps, approval), {
      async onClosed(trx, approval, how) {
        const { tradingDay } = entryApprovalPayload.parse(approval.payload);
        const reason =
          how === "rejected"
            ? `approval ${approval.id} rejected by ${approval.decided_by ?? "someone"}`
            : `approval ${approval.id} expired unanswered`;
        const actor = how === "rejected" ? (approval.decided_by ?? "unknown") : "system";
        // "skipped", not "missed": a missed run would be offered again on the next reconnect.
        await deps.daily.move({ tradingDay, to: "skipped", reason, from: ["awaiting-approval"], actor }, trx);
      },
    });
  }
}

async function placeApproved(deps: EntryApprovalDeps, approval: ApprovalRecord): Promise<EffectResult> {
  const { db, clock, daily } = deps;
  const { tradingDay } = entryApprovalPayload.parse(approval.payload);
  const actor = approval.decided_by ?? "unknown";
  const day = toTradingDayLike(await calendar.tradingDay(db, tradingDay));
  const window = isEntryAllowed(day, clock.now(), deps.entryTime, deps.windowEnd, deps.timeZone);
  if (!window.allowed) {
    const reason = `approved too late: ${window.detail}`;
    await daily.move({ tradingDay, to: "skipped", reason, from: ["awaiting-approval"], actor });
    throw new Error(`${window.detail} Nothing was placed for ${tradingDay}.`);
  }
  const reason = `approved by ${actor} (approval ${approval.id})`;
  if (!(await daily.move({ tradingDay, to: "placing", reason, from: ["awaiting-approval"], actor }))) {
    const run = await daily.run(tradingDay);
    throw new Error(
      `The entry for ${tradingDay} is already ${run?.status ?? "unclaimed"}; nothing was placed.`,
    );
  }
  const placed = await daily.place(tradingDay, {
    actor,
    // A scheduled entry approved while the gateway is down is missed (a catch-up may follow); a catch-up is the last try.
    gatewayDownIsMissed: approval.kind === "scheduled-entry",
    alertOnFailure: false,
  });
  if (!placed.ok) throw new Error(placed.error);
  return {
    text: `Entry placed for ${tradingDay} (order ${placed.orderRef}).`,
    data: { tradingDay, orderRef: placed.orderRef },
  };
}
