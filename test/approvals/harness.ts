import { ManualClock } from "../../src/clock.js";
import { type DatabaseHandle, openDatabase } from "../../src/store/index.js";
import { AlertOutbox } from "../../src/trading/alert-outbox.js";
import { ApprovalService } from "../../src/trading/approvals/approval-service.js";

export interface ApprovalWorld {
  store: DatabaseHandle;
  clock: ManualClock;
  outbox: AlertOutbox;
  approvals: ApprovalService;
}

export async function approvalWorld(start = "2026-02-04T15:10:00Z", ttlS = 900): Promise<ApprovalWorld> {
  const store = await openDatabase(":memory:");
  const clock = new ManualClock(start);
  const outbox = new AlertOutbox(store.db, clock);
  const approvals = newApprovalService(store, clock, outbox, ttlS);
  return { store, clock, outbox, approvals };
}

/** A fresh service over the same database, as after a restart. */
export function newApprovalService(
  store: DatabaseHandle,
  clock: ManualClock,
  outbox: AlertOutbox,
  ttlS = 900,
): ApprovalService {
  return new ApprovalService({ db: store.db, clock, alerts: outbox, ttlS });
}

export interface PostedAlert {
  type: string;
  severity: string;
  payload: Record<string, unknown>;
}

/** What the outbox holds, oldest first: what the chat will show. */
export async function posted(store: DatabaseHandle, type?: string): Promise<PostedAlert[]> {
  const rows = await store.db.selectFrom("alerts").selectAll().orderBy("id").execute();
  return rows
    .filter((row) => type === undefined || row.type === type)
    .map((row) => ({ type: row.type, severity: row.severity, payload: JSON.parse(row.payload) }));
}

export async function audited(store: DatabaseHandle, action?: string) {
  const rows = await store.db.selectFrom("audit_events").selectAll().orderBy("id").execute();
  return rows
    .filter((row) => action === undefined || row.action === action)
    .map((row) => ({ actor: row.actor, action: row.action, detail: JSON.parse(row.detail) }));
}
