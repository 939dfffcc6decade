import { EventEmitter } from "node:events";
import type { Clock, TimerHandle } from "../../clock.js";
import type { Logger } from "../../log.js";
import type { Alert, CachePart } from "../alerts.js";
import type { BrokerEvent } from "../broker.js";
import { chooseAccount } from "../domain/account-choice.js";
import { backoffDelay } from "./backoff.js";
import { BrokerCache, CACHE_PARTS } from "./broker-cache.js";
import { COMPETING_SESSION_ADVICE, classifyIbCode, type Farm } from "./ib-codes.js";
import { ConnectFailure, IbSession, type SessionOptions } from "./ib-session.js";
import { IncidentTracker, type Problem } from "./incidents.js";

export type ConnState = "disconnected" | "connecting" | "connected" | "degraded";

export interface ConnectionStatus {
  state: ConnState;
  since: Date;
  reason: string;
  endpoint: string;
  clientId: number;
  serverVersion: number | null;
  accounts: string[];
  /** The account the bot trades (IB_ACCOUNT, or the login's only account); null when none can be chosen. */
  account: string | null;
  /** Why no account could be chosen: the bot then sends no orders. */
  accountProblem: string | null;
  lastHeartbeatRttMs: number | null;
  lastHeartbeatAt: Date | null;
  reconnectAttempt: number;
  brokenFarms: string[];
  /** While not connected: when the trouble began (the first drop of this outage), not the last retry. */
  troubleSince?: Date | null;
  /** Which kinds of farm are broken: the entry needs market data and security definitions, not historical data. */
  farmsDown: Farm[];
  /** IB's own link is down (1100/2110). */
  connectivityLost: boolean;
}

export interface StateChange {
  from: ConnState;
  to: ConnState;
  reason: string;
  at: Date;
}

/** Where transitions go: the audit log and the alert outbox, written together. */
export interface TransitionSink {
  record(change: StateChange | null, alerts: Alert[]): Promise<void>;
}

export interface SupervisorOptions {
  host: string;
  port: number;
  clientId: number;
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
  handshakeTimeoutMs: number;
  staleAfterMs: number;
  refreshEveryMs?: number;
  /** IB_ACCOUNT: the account to trade when the login manages several. */
  account?: string;
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  /** How long the connection must stay healthy before the recovery is posted. */
  settleMs?: number;
  clock: Clock;
  logger: Logger;
  sink: TransitionSink;
  random?: () => number;
  connect?: (
    opts: SessionOptions,
    onProgress: (step: "tcp-open" | "server-version") => void,
  ) => Promise<IbSession>;
}

export const SOCAT_ADVICE =
  "From another container use the socat port 4004 (paper) / 4003 (live), not 4002/4001: the gateway's direct ports only answer localhost.";

/**
 * Owns the gateway connection: one state machine (disconnected, connecting, connected,
 * degraded) changed only through `transition`, a round-trip heartbeat that notices a hung
 * gateway, reconnects forever with capped backoff, and a cache whose age is watched.
 *
 * Events: "state" (ConnectionStatus), "session" (IbSession | null), "synced" (once a
 * connect's first refresh has finished, answered or not: a part IB did not give is stale and
 * alerted as such, and recovery must not wait on it), "resync" (IB restored connectivity: reconcile now),
 * "broker" (BrokerEvent), "heartbeat" (rtt ms), "progress" (connect step).
 */
export class ConnectionSupervisor extends EventEmitter {
  readonly cache = new BrokerCache();
  private status: ConnectionStatus;
  private session: IbSession | null = null;
  private incidents: IncidentTracker;
  private tickTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private reconnectTimer: TimerHandle | undefined;
  private pingInFlight = false;
  private refreshing = new Set<CachePart>();
  private stale = new Map<CachePart, number>();
  private lastRefreshStart = 0;
  private everConnected = false;
  private announcedStart = false;
  private connectivityLost = false;
  private brokenFarms = new Map<string, string>();
  private running = false;
  private quietUntil = new Map<string, number>();
  /** How far the current connection attempt got: opening TCP, TCP open, or server version seen. */
  connectStep: "tcp" | "tcp-open" | "server-version" = "tcp";
  private generation = 0;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SupervisorOptions) {
    super();
    this.incidents = new IncidentTracker(opts.settleMs ?? 15_000);
    this.status = {
      state: "disconnected",
      since: opts.clock.now(),
      reason: "not started",
      endpoint: `${opts.host}:${opts.port}`,
      clientId: opts.clientId,
      serverVersion: null,
      accounts: [],
      account: null,
      accountProblem: null,
      lastHeartbeatRttMs: null,
      lastHeartbeatAt: null,
      reconnectAttempt: 0,
      brokenFarms: [],
      farmsDown: [],
      connectivityLost: false,
    };
  }

  get current(): ConnectionStatus {
    const started = this.incidents.startedAt;
    return {
      ...this.status,
      brokenFarms: [...this.brokenFarms.values()],
      troubleSince: this.status.state === "connected" || started === undefined ? null : new Date(started),
      farmsDown: [...this.brokenFarms.keys()] as Farm[],
      connectivityLost: this.connectivityLost,
    };
  }

  get heartbeatPending(): boolean {
    return this.pingInFlight;
  }

  get activeSession(): IbSession | null {
    return this.session;
  }

  /** Resolves when every transition so far is in the audit log and outbox. */
  flushed(): Promise<void> {
    return this.writes;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleTick();
    this.connectNow();
  }

  async stop(): Promise<void> {
    this.running = false;
    const { clock } = this.opts;
    clock.clearTimeout(this.tickTimer);
    clock.clearTimeout(this.pingTimer);
    clock.clearTimeout(this.reconnectTimer);
    this.generation++;
    const s = this.session;
    this.session = null;
    s?.close();
    // Quietly: a bot shutting down is not an outage to alert on, but nothing may read "connected".
    this.status = { ...this.status, state: "disconnected", since: this.now, reason: "the bot is stopping" };
    this.cache.markUnknown();
    await this.writes;
  }

  private get now(): Date {
    return this.opts.clock.now();
  }

  /** The one place where the connection's state changes. */
  private transition(to: ConnState, reason: string, problem?: Problem): void {
    const now = this.now;
    const from = this.status.state;
    const alerts = problem ? this.incidents.problem(problem, now.getTime()) : [];
    if (to === "connected") this.incidents.healthy(now.getTime());
    if (to === "disconnected" || (to === "degraded" && this.connectivityLost)) this.cache.markUnknown();
    if (from === to && reason === this.status.reason && alerts.length === 0) return;
    const change = from === to && reason === this.status.reason ? null : { from, to, reason, at: now };
    if (from !== to) this.status.since = now;
    this.status.state = to;
    this.status.reason = reason;
    this.opts.logger.info({ from, to, reason }, "connection state");
    this.persist(change, alerts);
    this.emit("state", this.current);
  }

  private persist(change: StateChange | null, alerts: Alert[]): void {
    if (!change && alerts.length === 0) return;
    this.writes = this.writes
      .then(() => this.opts.sink.record(change, alerts))
      .catch((err) => this.opts.logger.error({ err }, "could not record a connection state change"));
  }

  private raise(alerts: Alert[]): void {
    this.persist(null, alerts);
  }

  private connectNow(): void {
    if (!this.running || this.session) return;
    const gen = ++this.generation;
    const { opts } = this;
    const attempt = this.status.reconnectAttempt;
    this.transition(
      "connecting",
      attempt === 0 ? `connecting to ${this.status.endpoint}` : `reconnecting (attempt ${attempt + 1})`,
    );
    this.connectStep = "tcp";
    const connect = opts.connect ?? IbSession.connect;
    connect(
      {
        host: opts.host,
        port: opts.port,
        clientId: opts.clientId,
        handshakeTimeoutMs: opts.handshakeTimeoutMs,
        clock: opts.clock,
        logger: opts.logger,
      },
      (step) => {
        if (gen !== this.generation) return;
        this.connectStep = step;
        this.emit("progress", step);
      },
    ).then(
      (session) => {
        if (gen !== this.generation || !this.running) {
          session.close();
          return;
        }
        this.onConnected(session);
      },
      (err: unknown) => {
        if (gen !== this.generation || !this.running) return;
        this.onConnectFailed(err);
      },
    );
  }

  private onConnected(session: IbSession): void {
    this.session = session;
    this.status.serverVersion = session.serverVersion;
    this.status.accounts = session.accounts;
    const choice = chooseAccount(session.accounts, this.opts.account);
    session.account = choice.account;
    session.accountProblem = choice.problem;
    this.status.account = choice.account;
    this.status.accountProblem = choice.problem;
    this.status.reconnectAttempt = 0;
    this.connectivityLost = false;
    this.brokenFarms.clear();
    const gen = this.generation;
    session.onEvent((e) => {
      if (gen === this.generation) this.onBrokerEvent(e);
    });
    this.everConnected = true;
    this.transition("connected", `API handshake complete (server version ${session.serverVersion})`);
    if (!this.announcedStart) {
      this.announcedStart = true;
      this.raise([
        {
          type: "connected",
          endpoint: this.status.endpoint,
          serverVersion: session.serverVersion,
          accounts: session.accounts,
        },
      ]);
    }
    if (choice.problem) this.raiseOnce("account-problem", { type: "account-problem", text: choice.problem });
    this.emit("session", session);
    this.ping();
    void this.refreshAll().then(() => {
      if (gen === this.generation && this.session === session) this.emit("synced");
    });
  }

  private onConnectFailed(err: unknown): void {
    const { opts } = this;
    const endpoint = this.status.endpoint;
    let problem: Problem;
    if (err instanceof ConnectFailure && err.kind === "client-id-in-use") {
      const advice =
        "Another program (or a leftover session of this bot) is connected with this client id. Stop it, or set IB_CLIENT_ID to another number. Retrying.";
      problem = {
        cause: "client-id-in-use",
        disconnected: true,
        alert: { type: "client-id-in-use", clientId: opts.clientId, advice },
      };
    } else if (err instanceof ConnectFailure && err.kind === "silent") {
      const advice = this.everConnected
        ? "It answered before, so it is probably hung or restarting; retrying."
        : SOCAT_ADVICE;
      problem = {
        cause: this.everConnected ? "hung" : "silent-handshake",
        disconnected: true,
        alert: this.everConnected
          ? { type: "disconnected", reason: `${err.message}: gateway not answering`, advice }
          : { type: "silent-handshake", endpoint, advice },
      };
    } else {
      const message = err instanceof Error ? err.message : String(err);
      problem = {
        cause: "unreachable",
        disconnected: true,
        alert: {
          type: "disconnected",
          reason: message,
          advice: `Is the gateway running and logged in, and is ${endpoint} the right address? Retrying.`,
        },
      };
    }
    const message = err instanceof Error ? err.message : String(err);
    this.transition("disconnected", message, problem);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    const { opts } = this;
    const delay = backoffDelay(
      this.status.reconnectAttempt,
      opts.reconnectBaseMs ?? 1000,
      opts.reconnectCapMs ?? 60_000,
      opts.random,
    );
    this.status.reconnectAttempt++;
    opts.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = opts.clock.setTimeout(() => this.connectNow(), delay);
  }

  /** Drops the current socket (if any) and goes to disconnected with this reason. */
  private lose(reason: string, problem: Problem): void {
    const s = this.session;
    this.session = null;
    this.generation++;
    this.pingInFlight = false;
    this.opts.clock.clearTimeout(this.pingTimer);
    this.refreshing.clear();
    s?.close();
    this.emit("session", null);
    this.transition("disconnected", reason, problem);
    this.scheduleReconnect();
  }

  private onBrokerEvent(e: BrokerEvent): void {
    if (e.type === "closed") {
      this.lose("the gateway closed the connection", {
        cause: "drop",
        disconnected: true,
        alert: {
          type: "disconnected",
          reason: "the gateway closed the connection",
          advice:
            "Reconnecting. If it keeps happening, check the gateway's log and whether someone logged in elsewhere.",
        },
      });
      return;
    }
    if (e.type === "info" || e.type === "error") this.onCode(e.code, e.message);
    if (e.type === "position") {
      const held = this.session?.heldPositions();
      if (held) this.cache.setPositions(held, this.now.getTime());
    }
    // The views read the cache: it follows the order events at once, not only the periodic refresh.
    if (e.type === "open-order") this.cache.upsertOrder(e.order);
    if (e.type === "order-status") this.cache.applyOrderStatus(e.update);
    this.emit("broker", e);
  }

  private onCode(code: number, message: string): void {
    const meaning = classifyIbCode(code, message);
    switch (meaning.kind) {
      case "connectivity-lost":
        this.connectivityLost = true;
        this.transition("degraded", "IB servers unreachable: the gateway lost its connection to IBKR", {
          cause: "connectivity-lost",
          disconnected: false,
          alert: { type: "degraded", reason: `IB servers unreachable (${code}): ${message}` },
        });
        return;
      case "connectivity-restored":
        this.connectivityLost = false;
        this.settleHealth(
          meaning.dataLost ? "connectivity restored, data lost: resubscribed" : "connectivity restored",
        );
        void this.refreshAll();
        this.emit("resync", { dataLost: meaning.dataLost });
        return;
      case "farm-broken": {
        const label = `${meaning.farm} farm${meaning.name ? ` ${meaning.name}` : ""}`;
        this.brokenFarms.set(meaning.farm, label);
        this.transition("degraded", `${label} broken`, {
          cause: `farm:${meaning.farm}`,
          disconnected: false,
          alert: { type: "degraded", reason: `${label} connection is broken (${code})` },
        });
        return;
      }
      case "farm-ok":
        if (this.brokenFarms.delete(meaning.farm)) this.settleHealth(`${meaning.farm} farm OK`);
        return;
      case "competing-session":
        this.raiseOnce("competing-session", {
          type: "competing-session",
          detail: `${code}: ${message}`,
          advice: COMPETING_SESSION_ADVICE,
        });
        return;
      case "socket-port-reset":
        this.lose(`socket port reset (${code})`, {
          cause: "drop",
          disconnected: true,
          alert: { type: "disconnected", reason: `the gateway reset its socket port (${code})` },
        });
        return;
      default:
        return;
    }
  }

  /** For warnings that have no recovery to wait for: at most one per key an hour. */
  private raiseOnce(key: string, alert: Alert): void {
    const now = this.now.getTime();
    const last = this.quietUntil.get(key);
    if (last !== undefined && now < last) return;
    this.quietUntil.set(key, now + 3_600_000);
    this.raise([alert]);
  }

  private settleHealth(reason: string): void {
    if (!this.session) return;
    if (this.connectivityLost) return;
    if (this.brokenFarms.size > 0) {
      this.transition("degraded", `${[...this.brokenFarms.values()].join(", ")} broken`);
      return;
    }
    this.transition("connected", reason);
  }

  private scheduleTick(): void {
    const { clock, heartbeatMs } = this.opts;
    this.tickTimer = clock.setTimeout(() => {
      if (!this.running) return;
      this.tick();
      this.scheduleTick();
    }, heartbeatMs);
  }

  private tick(): void {
    const now = this.now.getTime();
    this.raise(this.incidents.tick(now));
    if (!this.session) return;
    this.ping();
    const every = this.opts.refreshEveryMs ?? Math.min(30_000, this.opts.staleAfterMs / 4);
    if (now - this.lastRefreshStart >= every) void this.refreshAll();
    this.checkStaleness(now);
  }

  private ping(): void {
    const session = this.session;
    if (!session || this.pingInFlight) return;
    const { clock, heartbeatTimeoutMs } = this.opts;
    this.pingInFlight = true;
    const sentAt = clock.now().getTime();
    const sentWall = performance.now();
    this.pingTimer = clock.setTimeout(() => {
      if (this.session !== session) return;
      const secs = heartbeatTimeoutMs / 1000;
      this.lose(`gateway not answering: no heartbeat reply within ${secs}s`, {
        cause: "hung",
        disconnected: true,
        alert: {
          type: "disconnected",
          reason: `gateway not answering: no heartbeat reply within ${secs}s (the socket was open but the gateway is hung)`,
          advice:
            "Dropped the socket and reconnecting. If it persists, restart the gateway (with Docker: docker compose restart ib-gateway).",
        },
      });
    }, heartbeatTimeoutMs);
    session.currentTime().then(
      () => {
        if (this.session !== session) return;
        clock.clearTimeout(this.pingTimer);
        this.pingInFlight = false;
        const rtt = Math.max(clock.now().getTime() - sentAt, performance.now() - sentWall);
        this.status.lastHeartbeatRttMs = Math.round(rtt * 10) / 10;
        this.status.lastHeartbeatAt = clock.now();
        this.emit("heartbeat", this.status.lastHeartbeatRttMs);
      },
      () => {},
    );
  }

  /** Refreshes every cache part; resolves true when all three answered. */
  async refreshAll(): Promise<boolean> {
    const session = this.session;
    if (!session) return false;
    this.lastRefreshStart = this.now.getTime();
    const results = await Promise.all(CACHE_PARTS.map((p) => this.refresh(session, p)));
    if (this.session === session) this.checkStaleness(this.now.getTime());
    return results.every(Boolean);
  }

  private async refresh(session: IbSession, part: CachePart): Promise<boolean> {
    if (this.refreshing.has(part)) return false;
    this.refreshing.add(part);
    try {
      if (part === "positions") {
        const v = await session.positions();
        if (this.session === session) this.cache.setPositions(v, this.now.getTime());
      } else if (part === "orders") {
        const v = await session.openOrders();
        if (this.session === session) this.cache.setOrders(v, this.now.getTime());
      } else {
        const v = await session.accountSummary();
        if (this.session === session) this.cache.setAccount(v, this.now.getTime());
      }
      return this.session === session;
    } catch {
      return false;
    } finally {
      if (this.session === session) this.refreshing.delete(part);
    }
  }

  private checkStaleness(now: number): void {
    const alerts: Alert[] = [];
    const limit = this.opts.staleAfterMs;
    for (const part of CACHE_PARTS) {
      const at = this.cache.refreshedAt(part);
      const staleSince = this.stale.get(part);
      if (at !== undefined && now - at <= limit) {
        if (staleSince !== undefined) {
          this.stale.delete(part);
          alerts.push({ type: "fresh", part, staleForMs: now - staleSince });
        }
        continue;
      }
      if (this.status.state !== "connected" || staleSince !== undefined) continue;
      // Unknown since connecting counts from the connection's start.
      const age = now - (at ?? this.status.since.getTime());
      if (age > limit) {
        this.stale.set(part, now);
        alerts.push({ type: "stale", part, ageMs: age, limitMs: limit });
      }
    }
    this.raise(alerts);
  }
}
