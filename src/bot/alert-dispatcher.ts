import type { Clock, TimerHandle } from "../clock.js";
import type { Logger } from "../log.js";
import { alerts as alertRepo, type Db } from "../store/index.js";
import type { AlertOutbox } from "../trading/alert-outbox.js";
import type { Alert, Severity } from "../trading/alerts.js";
import { backoffDelay } from "../trading/ib/backoff.js";

export interface OutboxItem {
  id: number;
  alert: Alert;
  severity: Severity;
  createdAt: Date;
}

/** A chat platform's side of alert delivery: resolves with a reference to the post. */
export interface ChatPort {
  deliver(item: OutboxItem): Promise<string | undefined>;
}

export interface DispatcherOptions {
  db: Db;
  outbox: AlertOutbox;
  chat: ChatPort;
  clock: Clock;
  logger: Logger;
  pollMs?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
}

/**
 * Delivers the outbox in order. A failed post stays in the outbox and is retried with
 * backoff; later alerts wait behind it so the channel reads in the order things happened.
 */
export class AlertDispatcher {
  private timer: TimerHandle | undefined;
  private running = false;
  private pumping: Promise<void> | null = null;
  private again = false;
  private readonly onEnqueued = () => void this.pump();

  constructor(private readonly opts: DispatcherOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.opts.outbox.on("enqueued", this.onEnqueued);
    this.schedule();
    void this.pump();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.opts.outbox.off("enqueued", this.onEnqueued);
    this.opts.clock.clearTimeout(this.timer);
    await this.pumping;
  }

  private schedule(): void {
    this.timer = this.opts.clock.setTimeout(() => {
      if (!this.running) return;
      void this.pump();
      this.schedule();
    }, this.opts.pollMs ?? 1000);
  }

  /** Delivers everything due; concurrent calls coalesce into one more pass. */
  pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        await this.deliverDue();
      } while (this.again && this.running);
    })().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  private async deliverDue(): Promise<void> {
    const { db, chat, clock, logger } = this.opts;
    for (;;) {
      const pending = await alertRepo.undeliveredAlerts(db, 50);
      if (pending.length === 0) return;
      for (const row of pending) {
        // In order: nothing overtakes an alert that is waiting for its retry.
        if (row.next_attempt_at > clock.now().toISOString()) return;
        const item: OutboxItem = {
          id: row.id,
          alert: row.payload as Alert,
          severity: row.severity,
          createdAt: new Date(row.created_at),
        };
        try {
          const ref = await chat.deliver(item);
          await alertRepo.markAlertDelivered(db, row.id, clock.now(), ref);
        } catch (err) {
          const delay = backoffDelay(
            row.attempts,
            this.opts.retryBaseMs ?? 1000,
            this.opts.retryCapMs ?? 60_000,
          );
          const message = err instanceof Error ? err.message : String(err);
          logger.warn(
            { alertId: row.id, attempt: row.attempts + 1, err: message },
            "alert delivery failed; will retry",
          );
          await alertRepo.markAlertFailed(db, row.id, message, new Date(clock.now().getTime() + delay));
          return;
        }
      }
    }
  }
}
