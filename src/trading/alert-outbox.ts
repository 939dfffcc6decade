import { EventEmitter } from "node:events";
import type { Clock } from "../clock.js";
import { alerts as alertRepo, audit as auditRepo, type Db } from "../store/index.js";
import { type Alert, severityOf } from "./alerts.js";
import type { StateChange, TransitionSink } from "./ib/connection-supervisor.js";

/**
 * Writes alerts into the outbox, inside the caller's transaction when there is one, so
 * an alert exists exactly when the state change that caused it does. Emits "enqueued"
 * after a commit so the dispatcher can deliver at once instead of at its next poll.
 */
export class AlertOutbox extends EventEmitter {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** Adds alerts within `trx`; call `committed()` once the transaction is done. */
  async add(trx: Db, list: Alert[]): Promise<void> {
    const now = this.clock.now();
    for (const alert of list) {
      await alertRepo.enqueueAlert(
        trx,
        { type: alert.type, severity: severityOf(alert), payload: alert },
        now,
      );
    }
  }

  committed(): void {
    this.emit("enqueued");
  }

  async raise(list: Alert[]): Promise<void> {
    if (list.length === 0) return;
    await this.db.transaction().execute((trx) => this.add(trx, list));
    this.committed();
  }

  /** The supervisor's sink: the audit event and its alerts in one transaction. */
  transitionSink(): TransitionSink {
    return {
      record: async (change: StateChange | null, list: Alert[]) => {
        await this.db.transaction().execute(async (trx) => {
          if (change) {
            await auditRepo.audit(
              trx,
              "supervisor",
              `connection.${change.to}`,
              { from: change.from, to: change.to, reason: change.reason },
              change.at,
            );
          }
          await this.add(trx, list);
        });
        if (list.length > 0) this.committed();
      },
    };
  }
}
