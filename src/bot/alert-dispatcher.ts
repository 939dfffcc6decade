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

/**
 * A failed delivery, by what it says about the next one: "channel" (the chat refuses the bot:
 * wrong channel, missing permission; nothing gets through until someone fixes it), "alert"
 * (this one message was refused; the others may pass) or "transient" (outage, timeout).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly scope: "channel" | "alert" | "transient",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DeliveryError";
  }
}

/** How delivery is going, for /status and /healthz. */
export interface DeliveryStatus {
  /** False while the last attempt failed and alerts are waiting. */
  delivering: boolean;
  /** The failure that holds the outbox, in words. */
  lastError: string | null;
  failingSince: Date | null;
  /** When the oldest alert still waiting was raised (as of the last pass). */
  oldestUndeliveredAt: Date | null;
}

/** An alert the chat refused this many times is given up, so it cannot hold every later one. */
export const MAX_REFUSALS = 3;

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
 * An alert the chat itself refuses (not the channel, not an outage) is given up after
 * MAX_REFUSALS attempts, so it cannot hold the others back for ever. Delivery runs on its
 * own: nothing here waits on the broker, and the broker never waits on it.
 */
export class AlertDispatcher {
  private timer: TimerHandle | undefined;
  private running = false;
  private pumping: Promise<void> | null = null;
  private again = false;
  private readonly onEnqueued = () => void this.pump();
  private failing: { since: Date; error: string } | null = null;
  private oldest: Date | null = null;

  constructor(private readonly opts: DispatcherOptions) {}

  status(): DeliveryStatus {
    return {
      delivering: this.failing === null,
      lastError: this.failing?.error ?? null,
      failingSince: this.failing?.since ?? null,
      oldestUndeliveredAt: this.oldest,
    };
  }

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
      this.oldest = pending[0] ? new Date(pending[0].created_at) : null;
      if (pending.length === 0) {
        this.recovered();
        return;
      }
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
          this.recovered();
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const scope = err instanceof DeliveryError ? err.scope : "transient";
          if (scope === "alert" && row.attempts + 1 >= MAX_REFUSALS) {
            logger.error(
              { alertId: row.id, type: row.type, err: message },
              `ALERT NOT DELIVERED: the chat refused alert #${row.id} (${row.type}) ${MAX_REFUSALS} times; giving up on it so later alerts get through`,
            );
            await alertRepo.markAlertDelivered(db, row.id, clock.now(), "undeliverable");
            continue;
          }
          const delay = backoffDelay(
            row.attempts,
            this.opts.retryBaseMs ?? 1000,
            this.opts.retryCapMs ?? 60_000,
          );
          this.failed(message, row.attempts + 1, row.id);
          await alertRepo.markAlertFailed(db, row.id, message, new Date(clock.now().getTime() + delay));
          return;
        }
      }
    }
  }

  /** Says so loudly once when alerts stop getting through; quieter on each retry. */
  private failed(error: string, attempt: number, alertId: number): void {
    const { logger, clock } = this.opts;
    if (this.failing) {
      this.failing.error = error;
      logger.warn({ alertId, attempt, err: error }, "alert delivery failed; will retry");
      return;
    }
    this.failing = { since: clock.now(), error };
    logger.error(
      { alertId, attempt, err: error },
      `ALERTS ARE NOT BEING DELIVERED: ${error}. They wait in the outbox and are retried; trading supervision goes on.`,
    );
  }

  private recovered(): void {
    if (!this.failing) return;
    const { logger, clock } = this.opts;
    logger.warn(
      { downForMs: clock.now().getTime() - this.failing.since.getTime() },
      "alerts are being delivered again",
    );
    this.failing = null;
  }
}
