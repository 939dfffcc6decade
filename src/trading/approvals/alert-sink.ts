import type { Db } from "../../store/index.js";

/** The part of AlertOutbox a service uses (AlertOutbox itself fits), for its own alert kinds. */
export interface AlertSink<A> {
  /** Adds alerts within the caller's transaction; call `committed()` after the commit. */
  add(trx: Db, alerts: A[]): Promise<void>;
  committed(): void;
  raise(alerts: A[]): Promise<void>;
}
