import type { Clock } from "../clock.js";
import { alerts as alertRepo, type Db, positions as positionRepo } from "../store/index.js";
import type { CacheAges } from "../trading/ib/broker-cache.js";
import type { ConnectionSupervisor, ConnState } from "../trading/ib/connection-supervisor.js";
import type { Trading } from "../trading/trading.js";
import type { DeliveryStatus } from "./alert-dispatcher.js";
import type { Mode } from "./format.js";
import { TradingOps } from "./trading-ops.js";

export interface StatusView {
  mode: Mode;
  state: ConnState;
  since: string;
  forMs: number;
  reason: string;
  endpoint: string;
  clientId: number;
  serverVersion: number | null;
  account: string | null;
  /** Why the bot has no account to trade (it then sends no orders). */
  accountProblem: string | null;
  lastHeartbeatRttMs: number | null;
  lastHeartbeatAgoMs: number | null;
  brokenFarms: string[];
  cacheAgesMs: CacheAges;
  staleAfterMs: number;
  stale: Array<keyof CacheAges>;
  brokerPositions: number | null;
  brokerOpenOrders: number | null;
  netLiquidation: string | null;
  storedOpenPositions: number;
  undeliveredAlerts: number;
  /** False while alerts cannot be delivered (the chat refuses or is unreachable). */
  alertsDelivering: boolean;
  /** Why, in words, while alertsDelivering is false. */
  deliveryError: string | null;
  /** How long the oldest alert still waiting has waited; null when none waits. */
  oldestUndeliveredAgeMs: number | null;
  /** Present when the trading services run (always, except in adapter tests). */
  schedule: Awaited<ReturnType<TradingOps["scheduleStatus"]>> | null;
}

export interface HealthView {
  healthy: boolean;
  state: ConnState;
  since: string;
  reason: string;
  lastHeartbeatRttMs: number | null;
  cacheAgesMs: CacheAges;
  stale: Array<keyof CacheAges>;
  alertsDelivering: boolean;
  oldestUndeliveredAgeMs: number | null;
}

/** Where Ops learns how alert delivery is going (the dispatcher). */
export interface DeliveryWatch {
  status(): DeliveryStatus;
}

export interface OpsDeps {
  mode: Mode;
  db: Db;
  clock: Clock;
  supervisor: ConnectionSupervisor;
  staleAfterMs: number;
  account?: string;
  trading?: Trading;
}

/**
 * The bot's one facade for every chat adapter (console, Discord) and the health
 * endpoint: methods take plain arguments and return plain data, never chat text.
 */
export class Ops {
  /** Positions, orders, trades, entries, re-attach, reconcile, schedule, approvals. */
  readonly trading: TradingOps | null;
  private delivery: DeliveryWatch | null = null;

  constructor(private readonly deps: OpsDeps) {
    this.trading = deps.trading
      ? new TradingOps({ db: deps.db, clock: deps.clock, supervisor: deps.supervisor, trading: deps.trading })
      : null;
  }

  /** The trading half, or a clear error where an adapter runs without it. */
  get trade(): TradingOps {
    if (!this.trading) throw new Error("trading services are not running in this process");
    return this.trading;
  }

  get mode(): Mode {
    return this.deps.mode;
  }

  /** Shows the dispatcher's delivery state in status() and health(). */
  watchDelivery(delivery: DeliveryWatch): void {
    this.delivery = delivery;
  }

  private deliveryView(now: number) {
    const d = this.delivery?.status();
    return {
      alertsDelivering: d?.delivering ?? true,
      deliveryError: d?.lastError ?? null,
      oldestUndeliveredAgeMs: d?.oldestUndeliveredAt ? now - d.oldestUndeliveredAt.getTime() : null,
    };
  }

  async status(): Promise<StatusView> {
    const { supervisor, clock, db, staleAfterMs, mode } = this.deps;
    const now = clock.now().getTime();
    const s = supervisor.current;
    const cache = supervisor.cache;
    const ages = cache.ages(now);
    const [stored, undelivered, schedule] = await Promise.all([
      positionRepo.openPositions(db).then((r) => r.length),
      alertRepo.undeliveredCount(db),
      this.trading ? this.trading.scheduleStatus() : Promise.resolve(null),
    ]);
    return {
      mode,
      state: s.state,
      // An outage counts from its first drop, not from the latest reconnect attempt.
      since: (s.troubleSince ?? s.since).toISOString(),
      forMs: now - (s.troubleSince ?? s.since).getTime(),
      reason: s.reason,
      endpoint: s.endpoint,
      clientId: s.clientId,
      serverVersion: s.serverVersion,
      account: s.account ?? this.deps.account ?? null,
      accountProblem: s.accountProblem,
      lastHeartbeatRttMs: s.lastHeartbeatRttMs,
      lastHeartbeatAgoMs: s.lastHeartbeatAt ? now - s.lastHeartbeatAt.getTime() : null,
      brokenFarms: s.brokenFarms,
      cacheAgesMs: ages,
      staleAfterMs,
      stale: staleParts(ages, staleAfterMs),
      brokerPositions: cache.positions?.length ?? null,
      brokerOpenOrders: cache.orders?.length ?? null,
      netLiquidation: cache.account?.NetLiquidation?.value ?? null,
      storedOpenPositions: stored,
      undeliveredAlerts: undelivered,
      ...this.deliveryView(now),
      schedule,
    };
  }

  /** Healthy means connected and every cache part known and fresh. */
  health(): HealthView {
    const { supervisor, clock, staleAfterMs } = this.deps;
    const s = supervisor.current;
    const now = clock.now().getTime();
    const ages = supervisor.cache.ages(now);
    const stale = staleParts(ages, staleAfterMs);
    const { alertsDelivering, oldestUndeliveredAgeMs } = this.deliveryView(now);
    return {
      healthy: s.state === "connected" && stale.length === 0,
      state: s.state,
      since: s.since.toISOString(),
      reason: s.reason,
      lastHeartbeatRttMs: s.lastHeartbeatRttMs,
      cacheAgesMs: ages,
      stale,
      alertsDelivering,
      oldestUndeliveredAgeMs,
    };
  }
}

/** Parts that are unknown or older than the limit. */
export function staleParts(ages: CacheAges, limitMs: number): Array<keyof CacheAges> {
  return (Object.keys(ages) as Array<keyof CacheAges>).filter((k) => {
    const age = ages[k];
    return age === null || age > limitMs;
  });
}
