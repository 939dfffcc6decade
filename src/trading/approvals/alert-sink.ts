import type { Clock } from "../../clock.js";
import { alerts as alertRepo, type Db, inTransaction } from "../../store/index.js";
import type { AlertOutbox } from "../alert-outbox.js";
import type { Severity } from "../alerts.js";

/** The part of AlertOutbox a service uses, for its own alert kinds. */
export interface AlertSink<A> {
  /** Adds alerts within the caller's transaction; call `committed()` after the commit. */
  add(trx: Db, alerts: A[]): Promise<void>;
  committed(): void;
  raise(alerts: A[]): Promise<void>;
}

/**
 * Writes alerts the `Alert` union does not know yet into the same outbox, with their own severity
 * (AlertOutbox.add looks severities up by type and would write none), and wakes the same dispatcher.
 * Once the kinds are merged into src/trading/alerts.ts, pass the AlertOutbox itself instead.
 */
export function outboxSink<A extends { type: string }>(
  outbox: AlertOutbox,
  db: Db,
  clock: Clock,
  severityOf: (alert: A) => Severity,
): AlertSink<A> {
  const add = async (trx: Db, list: A[]) => {
    for (const alert of list) {
      await alertRepo.enqueueAlert(
        trx,
        { type: alert.type, severity: severityOf(alert), payload: alert },
        clock.now(),
      );
    }
  };
  return {
    add,
    committed: () => outbox.committed(),
    async raise(list) {
      if (list.length === 0) return;
      await inTransaction(db, (trx) => add(trx, list));
      outbox.committed();
    },
  };
}
