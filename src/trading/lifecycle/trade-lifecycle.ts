import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { type Db, type OrderState, orders } from "../../store/index.js";
import type { BrokerEvent } from "../broker.js";
import type { ConnectionSupervisor } from "../ib/connection-supervisor.js";
import type { ExitsFollowShort } from "./exits-follow-short.js";
import type { FillOutcome, FillProcessor } from "./fills.js";
import type { OrderDesk } from "./order-desk.js";

const RETRIES_MS = [1_000, 2_000, 4_000, 8_000];
const WORKING = new Set<OrderState>(["acknowledged", "filled"]);

/**
 * Wires the broker's event stream to the journal, one event at a time and in order:
 * statuses update orders, executions are applied once, an entry fill gets its exits,
 * an exit fill makes sure its OCA sibling is gone.
 */
export class TradeLifecycle {
  private queue: Promise<void> = Promise.resolve();
  private running = false;
  /** Ends a retry's wait early, so that stop() does not wait out a backoff. */
  private wake: (() => void) | null = null;
  private readonly onBroker = (e: BrokerEvent) => {
    this.queue = this.queue.then(() => this.handleWithRetries(e));
  };

  constructor(
    private readonly deps: {
      db: Db;
      supervisor: ConnectionSupervisor;
      desk: OrderDesk;
      fills: FillProcessor;
      follow: ExitsFollowShort;
      clock: Clock;
      logger: Logger;
      /** An entry IB reports working or filled (its acknowledgement may have come late). */
      entryWorking?: (orderRef: string) => Promise<void>;
      /** After a fill or a position change: what depends on the broker's state may look again (approvals). */
      changed?: () => Promise<void>;
      /** How long the broker gets to cancel an OCA sibling before we cancel it ourselves. */
      siblingGraceMs?: number;
    },
  ) {}

  start(): void {
    this.running = true;
    this.deps.supervisor.on("broker", this.onBroker);
  }

  stop(): void {
    this.running = false;
    this.deps.supervisor.off("broker", this.onBroker);
    this.wake?.();
  }

  /** Resolves when every broker event received so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  /**
   * A failed event (a database locked past busy_timeout, a full disk) is retried in order before
   * later events, not dropped. Past the last retry, the periodic replay of the day's executions
   * (and the next connect's recovery) still applies an execution that was lost here.
   */
  private async handleWithRetries(e: BrokerEvent): Promise<void> {
    const { logger, clock } = this.deps;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handle(e);
        return;
      } catch (err) {
        const last = attempt >= RETRIES_MS.length + 1 || !this.running;
        logger.error(
          { err, event: e.type, attempt },
          last ? "broker event failed; giving up" : "broker event failed; retrying",
        );
        if (last) return;
        await new Promise<void>((resolve) => {
          const timer = clock.setTimeout(resolve, RETRIES_MS[attempt - 1]!);
          this.wake = () => {
            clock.clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  private async handle(e: BrokerEvent): Promise<void> {
    if (e.type === "order-status") {
      const row = await this.deps.desk.applyStatus(e.update);
      if (row?.intent === "entry" && WORKING.has(row.state)) await this.deps.entryWorking?.(row.order_ref);
    } else if (e.type === "open-order") {
      await this.deps.desk.applyOpenOrder(e.order);
      await this.deps.changed?.();
    } else if (e.type === "commission")
      await this.deps.fills.applyCommission(e.execId, e.commission, e.realizedPnl);
    else if (e.type === "execution") await this.afterFill(await this.deps.fills.apply(e.execution));
    else if (e.type === "position" && e.position.contract.secType === "OPT") {
      await this.deps.follow.follow(e.position.contract.conId);
      await this.deps.changed?.();
    }
  }

  /**
   * Follow-up work after an execution was recorded; also used for replayed executions. The exits
   * on that contract are brought in line with the broker's short (attached after an entry fill,
   * enlarged after a further partial fill, trimmed after a close).
   */
  async afterFill(outcome: FillOutcome): Promise<void> {
    if (!outcome.applied || outcome.kind === "unmatched") return;
    const conId = "conId" in outcome ? outcome.conId : outcome.order.con_id;
    await this.deps.follow.follow(conId);
    await this.deps.changed?.();
    if (outcome.kind === "exit" && outcome.closed && outcome.order.oca_group) {
      const group = outcome.order.oca_group;
      this.deps.clock.setTimeout(
        () => void this.cancelSiblings(outcome.order.id, group),
        this.deps.siblingGraceMs ?? 3000,
      );
    }
  }

  /** The broker cancels OCA siblings itself; this is the belt to that pair of braces. */
  async cancelSiblings(filledOrderId: number, ocaGroup: string): Promise<number> {
    const { db, desk } = this.deps;
    const working = await orders.ordersInState(db, ["transmitted", "acknowledged"]);
    const siblings = working.filter((o) => o.oca_group === ocaGroup && o.id !== filledOrderId);
    for (const s of siblings) desk.cancel(s);
    return siblings.length;
  }
}
