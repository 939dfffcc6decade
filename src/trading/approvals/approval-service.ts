import type { Clock, TimerHandle } from "../../clock.js";
import { type Logger, silentLogger } from "../../log.js";
import {
  type ApprovalKind,
  approvals as approvalRepo,
  audit as auditRepo,
  type Db,
  inTransaction,
} from "../../store/index.js";
import type { AlertSink } from "./alert-sink.js";
import {
  type ApprovalAlert,
  decidedAlert,
  expiredAlert,
  type Verdict,
  withdrawnAlert,
} from "./approval-alerts.js";
import {
  type ApprovalRecord,
  type PendingApproval,
  storedPayload,
  toPending,
  toRecord,
} from "./approval-record.js";
import type {
  ApprovalEffect,
  ApprovalRequest,
  Caller,
  DecisionResult,
  EffectHooks,
} from "./approval-types.js";
import { isSettled, type RefusalReason, refusalMessage } from "./refusals.js";

export interface ApprovalServiceOptions {
  db: Db;
  clock: Clock;
  alerts: AlertSink<ApprovalAlert>;
  ttlS: number;
  /** How often `start()` expires due approvals. */
  expireEveryMs?: number;
  /** For the times in messages. */
  timeZone?: string;
  logger?: Logger;
}

/**
 * Approvals for anything a person must decide, independent of the chat platform: request, decide
 * (exactly one decision wins, and an approved effect runs once), expire. Every step is audited and
 * its alert is written in the same transaction as the change.
 */
export class ApprovalService {
  private readonly effects = new Map<ApprovalKind, { run: ApprovalEffect; hooks: EffectHooks }>();
  private timer: TimerHandle | undefined;
  private running = false;
  private readonly timeZone: string;
  private readonly logger: Logger;

  constructor(private readonly opts: ApprovalServiceOptions) {
    this.timeZone = opts.timeZone ?? "America/New_York";
    this.logger = opts.logger ?? silentLogger;
  }

  registerEffect(kind: ApprovalKind, run: ApprovalEffect, hooks: EffectHooks = {}): void {
    if (this.effects.has(kind)) throw new Error(`An effect for "${kind}" approvals is already registered.`);
    this.effects.set(kind, { run, hooks });
  }

  async request(req: ApprovalRequest): Promise<ApprovalRecord> {
    // Fail at the request, not at the click: an approval nothing can act on is a bug.
    if (!this.effects.has(req.kind)) throw new Error(`No effect is registered for "${req.kind}" approvals.`);
    const { db, clock, alerts, ttlS } = this.opts;
    const now = clock.now();
    const ttlEnd = new Date(now.getTime() + ttlS * 1000);
    const expiresAt = req.notAfter && req.notAfter < ttlEnd ? req.notAfter : ttlEnd;
    if (expiresAt <= now)
      throw new RangeError(`The approval would expire at once (${expiresAt.toISOString()}).`);
    const record = await inTransaction(db, async (trx) => {
      const row = await approvalRepo.createApproval(
        trx,
        {
          kind: req.kind,
          payload: storedPayload(req.summary, req.payload),
          requestedBy: req.requestedBy,
          expiresAt,
        },
        now,
      );
      const approval = toRecord(row);
      await auditRepo.audit(
        trx,
        req.requestedBy,
        "approval.requested",
        { id: approval.id, kind: approval.kind, summary: approval.summary, expiresAt: approval.expires_at },
        now,
      );
      await alerts.add(trx, [
        {
          type: "approval-requested",
          approvalId: approval.id,
          nonce: approval.nonce,
          kind: approval.kind,
          summary: approval.summary,
          requestedBy: approval.requested_by,
          expiresAt: approval.expires_at,
        },
      ]);
      return approval;
    });
    alerts.committed();
    return record;
  }

  /**
   * Decides an approval. The store's single conditional UPDATE picks the winner of simultaneous
   * clicks; only the winner of an "approve" runs the effect, and this resolves after it has.
   */
  async decide(id: string, nonce: string, verdict: Verdict, caller: Caller): Promise<DecisionResult> {
    const { db, clock, alerts } = this.opts;
    const now = clock.now();
    if (!caller.authorized) return this.refuse(id, verdict, caller.actor, "not-authorized", undefined);
    const status = verdict === "approve" ? "approved" : "rejected";
    const decided = await inTransaction(db, async (trx) => {
      const row = await approvalRepo.decideApproval(trx, id, nonce, status, caller.actor, now);
      if (!row) return null;
      const approval = toRecord(row);
      await auditRepo.audit(trx, caller.actor, `approval.${status}`, { id, kind: approval.kind }, now);
      if (verdict === "reject") {
        await this.effects.get(approval.kind)?.hooks.onClosed?.(trx, approval, "rejected");
        await alerts.add(trx, [decidedAlert(approval, "rejected", "Nothing was done.")]);
      }
      return approval;
    });
    if (!decided) return this.explainRefusal(id, nonce, verdict, caller.actor, now);
    if (verdict === "reject") {
      alerts.committed();
      return { ok: true, approval: decided, verdict, outcome: "rejected", text: "Nothing was done." };
    }
    return this.execute(decided);
  }

  /**
   * The console's decision by id alone. The nonce exists to stop stale or forged chat buttons; the
   * console is a local terminal whose user already controls the bot's process and database, so a
   * nonce would protect nothing there, and typing 16 hex digits invites mistakes.
   */
  async decideFromConsole(id: string, verdict: Verdict, actor = "console"): Promise<DecisionResult> {
    const approval = await approvalRepo.approvalById(this.opts.db, id);
    if (!approval) return this.refuse(id, verdict, actor, "not-found", undefined);
    return this.decide(id, approval.nonce, verdict, { actor, authorized: true });
  }

  async pending(): Promise<PendingApproval[]> {
    return (await this.pendingRecords()).map(toPending);
  }

  /** The pending approvals with their payloads (optionally of one kind), in one read. */
  async pendingRecords(kind?: ApprovalRecord["kind"]): Promise<ApprovalRecord[]> {
    const rows = await approvalRepo.pendingApprovals(this.opts.db, this.opts.clock.now());
    return rows.map(toRecord).filter((a) => kind === undefined || a.kind === kind);
  }

  async approval(id: string): Promise<ApprovalRecord | undefined> {
    const row = await approvalRepo.approvalById(this.opts.db, id);
    return row && toRecord(row);
  }

  /** Remembers where the request was posted, so later alerts can edit that message. */
  async setChatRef(id: string, chatRef: string): Promise<void> {
    await approvalRepo.setApprovalChatRef(this.opts.db, id, chatRef);
  }

  /** Expires every pending approval past its time, with an "approval-expired" alert each. */
  async expireDue(): Promise<ApprovalRecord[]> {
    const { db, clock, alerts } = this.opts;
    const now = clock.now();
    // What each expiring approval leaves at risk is read before the transaction (it may ask the broker's cache).
    const due = (await approvalRepo.pendingApprovals(db, new Date(0))).filter(
      (a) => a.expires_at <= now.toISOString(),
    );
    const risks = new Map<string, string | undefined>();
    for (const a of due) {
      const hook = this.effects.get(a.kind)?.hooks.atRisk;
      if (hook) risks.set(a.id, await hook(toRecord(a)).catch(() => undefined));
    }
    const expired = await inTransaction(db, async (trx) => {
      const rows = (await approvalRepo.expireApprovals(trx, now)).map(toRecord);
      for (const approval of rows) {
        await auditRepo.audit(
          trx,
          "system",
          "approval.expired",
          { id: approval.id, kind: approval.kind },
          now,
        );
        await this.effects.get(approval.kind)?.hooks.onClosed?.(trx, approval, "expired");
      }
      await alerts.add(
        trx,
        rows.map((a) => expiredAlert(a, risks.get(a.id))),
      );
      return rows;
    });
    if (expired.length > 0) alerts.committed();
    return expired;
  }

  /**
   * Closes a pending approval without a decision because its premise changed (a newer request, or
   * nothing left to do), with an "approval-withdrawn" alert that closes its post. False when it was
   * no longer pending.
   */
  async withdraw(id: string, reason: string, actor = "system"): Promise<boolean> {
    const { db, clock, alerts } = this.opts;
    const now = clock.now();
    const done = await inTransaction(db, async (trx) => {
      const row = await approvalRepo.withdrawApproval(trx, id, reason);
      if (!row) return false;
      const approval = toRecord(row);
      await auditRepo.audit(trx, actor, "approval.withdrawn", { id, kind: approval.kind, reason }, now);
      await alerts.add(trx, [withdrawnAlert(approval, reason)]);
      return true;
    });
    if (done) alerts.committed();
    return done;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const every = this.opts.expireEveryMs ?? 30_000;
    const tick = () => {
      if (!this.running) return;
      this.timer = this.opts.clock.setTimeout(tick, every);
      this.expireDue().catch((err) => this.logger.error({ err }, "approvals: expiring failed"));
    };
    this.timer = this.opts.clock.setTimeout(tick, every);
  }

  stop(): void {
    this.running = false;
    this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async execute(approval: ApprovalRecord): Promise<DecisionResult> {
    const { db, clock, alerts } = this.opts;
    const actor = approval.decided_by ?? "unknown";
    let outcome: "executed" | "failed";
    let text: string;
    let result: unknown;
    try {
      const effect = this.effects.get(approval.kind);
      if (!effect)
        throw new Error(`Nothing handles "${approval.kind}" approvals in this version of the bot.`);
      const done = await effect.run(approval);
      outcome = "executed";
      text = done.text;
      result = { text: done.text, data: done.data ?? null };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn({ err, id: approval.id, kind: approval.kind }, "approvals: effect failed");
      outcome = "failed";
      text = `Failed: ${message}`;
      result = { error: message };
    }
    const now = clock.now();
    await inTransaction(db, async (trx) => {
      await approvalRepo.markApprovalOutcome(trx, approval.id, outcome, result);
      await auditRepo.audit(
        trx,
        actor,
        `approval.${outcome}`,
        { id: approval.id, kind: approval.kind, result },
        now,
      );
      await alerts.add(trx, [decidedAlert(approval, outcome, text)]);
    });
    alerts.committed();
    return {
      ok: true,
      approval: { ...approval, status: outcome, result },
      verdict: "approve",
      outcome,
      text,
    };
  }

  private async explainRefusal(
    id: string,
    nonce: string,
    verdict: Verdict,
    actor: string,
    now: Date,
  ): Promise<DecisionResult> {
    const row = await approvalRepo.approvalById(this.opts.db, id);
    const reason = approvalRepo.explainUndecided(row, nonce, now);
    // Past its time but the timer has not run yet: expire it now, so its message is edited at once.
    if (reason === "expired" && row?.status === "pending") await this.expireDue();
    return this.refuse(id, verdict, actor, reason, row && toRecord(row));
  }

  private async refuse(
    id: string,
    verdict: Verdict,
    actor: string,
    reason: RefusalReason,
    approval: ApprovalRecord | undefined,
  ): Promise<DecisionResult> {
    await auditRepo.audit(
      this.opts.db,
      actor,
      "approval.refused",
      { id, verdict, reason },
      this.opts.clock.now(),
    );
    const message = refusalMessage(reason, id, verdict, approval, this.timeZone);
    return { ok: false, reason, message, settled: isSettled(reason) };
  }
}
