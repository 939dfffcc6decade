import {
  type CommissionReport,
  type Contract,
  EventName,
  type Execution,
  type ExecutionFilter,
  IBApi,
  type Order,
  type OrderState,
} from "@stoqey/ib";
import type { Clock, TimerHandle } from "../../clock.js";
import type { Logger } from "../../log.js";
import type {
  AccountSummary,
  BrokerContract,
  BrokerEvent,
  BrokerExecution,
  BrokerOrder,
  BrokerPosition,
  CompletedOrder,
} from "../broker.js";

export interface SessionOptions {
  host: string;
  port: number;
  clientId: number;
  handshakeTimeoutMs: number;
  clock: Clock;
  logger: Logger;
}

export type ConnectFailureKind = "refused" | "silent" | "client-id-in-use" | "closed" | "incomplete";

/** Why a connection attempt failed, in words an operator can act on. */
export class ConnectFailure extends Error {
  constructor(
    readonly kind: ConnectFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export const ACCOUNT_TAGS =
  "NetLiquidation,TotalCashValue,BuyingPower,AvailableFunds,ExcessLiquidity,MaintMarginReq,GrossPositionValue";

type Pending = { reject: (e: Error) => void };

const REQUEST_TIMEOUT_MS = 30_000;
/** How long an execution waits for its commission report before it is applied without one. */
const COMMISSION_WAIT_MS = 2_000;

/**
 * One connection to the gateway over the event-based `IBApi`, which (unlike IBApiNext)
 * shows us 1100/1101/1102 and never reconnects or picks a client id behind our back.
 * A new session is made for every attempt, so late events of a dead socket go nowhere.
 */
export class IbSession {
  readonly api: IBApi;
  serverVersion = 0;
  accounts: string[] = [];
  /**
   * The one account this bot trades and reads, chosen by the supervisor from IB_ACCOUNT and
   * managedAccounts; null when it cannot be chosen (then `accountProblem` says why, and no order goes out).
   */
  account: string | null = null;
  accountProblem: string | null = null;
  nextValidId = 0;
  private reqIds = 1;
  private listeners = new Set<(e: BrokerEvent) => void>();
  private pending = new Set<Pending>();
  private pendingTimes: Array<(t: number) => void> = [];
  private closed = false;
  private commissions = new Map<string, CommissionReport>();
  /** Every account's positions as the positions subscription last reported them, by account and conId. */
  private held = new Map<string, BrokerPosition>();
  private heldKnown = false;
  private awaitingCommission = new Map<string, { execution: BrokerExecution; timer: TimerHandle }>();

  private constructor(private readonly opts: SessionOptions) {
    this.api = new IBApi({ host: opts.host, port: opts.port });
  }

  /** Resolves once the API handshake is complete (server version, accounts, next order id). */
  static connect(
    opts: SessionOptions,
    onProgress?: (step: "tcp-open" | "server-version") => void,
  ): Promise<IbSession> {
    const session = new IbSession(opts);
    return session.open(onProgress);
  }

  private open(onProgress?: (step: "tcp-open" | "server-version") => void): Promise<IbSession> {
    const { api, opts } = this;
    return new Promise<IbSession>((resolve, reject) => {
      let tcpOpen = false;
      let gotVersion = false;
      let clientIdInUse = false;
      let lastError = "";
      let timer: TimerHandle | undefined;
      let settled = false;
      const endpoint = `${opts.host}:${opts.port}`;

      const fail = (kind: ConnectFailureKind, message: string) => {
        if (settled) return;
        settled = true;
        opts.clock.clearTimeout(timer);
        this.shutdown();
        reject(new ConnectFailure(kind, message));
      };
      const armTimer = () => {
        opts.clock.clearTimeout(timer);
        timer = opts.clock.setTimeout(() => {
          const secs = opts.handshakeTimeoutMs / 1000;
          if (!tcpOpen) fail("refused", `could not open TCP to ${endpoint} within ${secs}s`);
          else if (!gotVersion)
            fail("silent", `the gateway at ${endpoint} accepted TCP but sent nothing within ${secs}s`);
          else
            fail("incomplete", `the gateway at ${endpoint} started the API handshake but never finished it`);
        }, opts.handshakeTimeoutMs);
      };
      const maybeReady = () => {
        if (settled || !this.nextValidId || this.accounts.length === 0) return;
        settled = true;
        opts.clock.clearTimeout(timer);
        resolve(this);
      };

      api.on(EventName.sent, (tokens: unknown[]) => {
        if (!tcpOpen && tokens[0] === "API\0") {
          tcpOpen = true;
          armTimer();
          onProgress?.("tcp-open");
        }
      });
      api.on(EventName.server, (version: number) => {
        gotVersion = true;
        this.serverVersion = version;
        armTimer();
        onProgress?.("server-version");
      });
      api.on(EventName.managedAccounts, (list: string) => {
        this.accounts = list
          .split(",")
          .map((a) => a.trim())
          .filter(Boolean);
        maybeReady();
      });
      api.on(EventName.nextValidId, (id: number) => {
        this.nextValidId = id;
        maybeReady();
      });
      api.on(EventName.info, (message: string, code: number) => {
        if (code === 326) clientIdInUse = true;
        this.emit({ type: "info", code, message });
      });
      api.on(EventName.error, (error: Error, code: number, reqId: number) => {
        lastError = error?.message ?? String(error);
        this.emit({ type: "error", code, message: lastError, reqId });
      });
      api.on(EventName.disconnected, () => {
        if (!settled) {
          if (clientIdInUse)
            fail("client-id-in-use", `client id ${opts.clientId} is already in use at ${endpoint}`);
          else if (!tcpOpen)
            fail("refused", `could not connect to ${endpoint}: ${lastError || "connection refused"}`);
          else fail("closed", `the gateway at ${endpoint} closed the connection during the handshake`);
          return;
        }
        this.shutdown();
      });
      this.wireStreams();
      armTimer();
      api.connect(opts.clientId);
    });
  }

  private wireStreams(): void {
    const { api } = this;
    // reqPositions stays subscribed (positions() never cancels it): every change streams in here.
    api.on(EventName.position, (account: string, contract: Contract, pos: number, avgCost?: number) => {
      const position: BrokerPosition = {
        account,
        contract: toBrokerContract(contract),
        quantity: Number(pos),
        avgCost: avgCost ?? 0,
      };
      const key = heldKey(account, position.contract.conId);
      const previousQuantity = this.held.get(key)?.quantity ?? 0;
      if (position.quantity === 0) this.held.delete(key);
      else this.held.set(key, position);
      if (this.heldKnown && previousQuantity !== position.quantity)
        this.emit({ type: "position", position, previousQuantity });
    });
    api.on(
      EventName.orderStatus,
      (orderId, status, filled, remaining, avgFillPrice, permId, _parentId, lastFillPrice, clientId) => {
        this.emit({
          type: "order-status",
          update: {
            orderId,
            status: String(status),
            filled: Number(filled),
            remaining: Number(remaining),
            avgFillPrice,
            permId: permId ?? 0,
            lastFillPrice: lastFillPrice ?? 0,
            clientId: clientId ?? 0,
          },
        });
      },
    );
    api.on(EventName.openOrder, (orderId: number, contract: Contract, order: Order, state: OrderState) => {
      this.emit({ type: "open-order", order: toBrokerOrder(orderId, contract, order, state) });
    });
    // IB sends an execution's commission report right after it: the execution waits for it (up to
    // COMMISSION_WAIT_MS), so that the trade it closes is booked with its closing commission.
    api.on(EventName.execDetails, (reqId: number, contract: Contract, execution: Execution) => {
      if (reqId !== -1) return;
      const row = toBrokerExecution(contract, execution);
      const known = this.commissions.get(row.execId);
      if (known) return this.emit({ type: "execution", execution: withCommission(row, known) });
      const timer = this.opts.clock.setTimeout(() => this.releaseExecution(row.execId), COMMISSION_WAIT_MS);
      this.awaitingCommission.set(row.execId, { execution: row, timer });
    });
    api.on(EventName.commissionReport, (report: CommissionReport) => {
      if (!report.execId) return;
      this.commissions.set(report.execId, report);
      this.releaseExecution(report.execId);
      this.emit({
        type: "commission",
        execId: report.execId,
        commission: report.commission ?? 0,
        realizedPnl: report.realizedPNL,
      });
    });
  }

  private releaseExecution(execId: string): void {
    const waiting = this.awaitingCommission.get(execId);
    if (!waiting) return;
    this.awaitingCommission.delete(execId);
    this.opts.clock.clearTimeout(waiting.timer);
    const report = this.commissions.get(execId);
    this.emit({
      type: "execution",
      execution: report ? withCommission(waiting.execution, report) : waiting.execution,
    });
  }

  get clientId(): number {
    return this.opts.clientId;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onEvent(listener: (e: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: BrokerEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.opts.logger.error({ err, event: e.type }, "broker event listener failed");
      }
    }
  }

  /** One round trip to the gateway. The supervisor's heartbeat times it out, well before request()'s limit. */
  currentTime(): Promise<number> {
    return this.request<number>((resolve) => {
      const onTime = (t: number) => resolve(t);
      this.pendingTimes.push(onTime);
      if (this.pendingTimes.length === 1) this.api.on(EventName.currentTime, this.deliverTime);
      this.api.reqCurrentTime();
      return () => {
        this.pendingTimes = this.pendingTimes.filter((f) => f !== onTime);
      };
    }, "reqCurrentTime");
  }

  private deliverTime = (t: number) => {
    const next = this.pendingTimes.shift();
    if (this.pendingTimes.length === 0) this.api.off(EventName.currentTime, this.deliverTime);
    next?.(t);
  };

  /**
   * The trading account's positions, asked afresh (the subscription stays open, so later changes
   * stream in as "position" events). Before an account is chosen, every account's.
   */
  positions(): Promise<BrokerPosition[]> {
    return this.request((resolve) => {
      const rows = new Map<string, BrokerPosition>();
      const onPosition = (account: string, contract: Contract, pos: number, avgCost?: number) => {
        rows.set(heldKey(account, contract.conId ?? 0), {
          account,
          contract: toBrokerContract(contract),
          quantity: Number(pos),
          avgCost: avgCost ?? 0,
        });
      };
      const onEnd = () => {
        this.held = new Map([...rows].filter(([, p]) => p.quantity !== 0));
        this.heldKnown = true;
        resolve(this.inAccount([...this.held.values()]));
      };
      this.api.on(EventName.position, onPosition);
      this.api.once(EventName.positionEnd, onEnd);
      this.api.reqPositions();
      return () => {
        this.api.off(EventName.position, onPosition);
        this.api.off(EventName.positionEnd, onEnd);
      };
    }, "reqPositions");
  }

  /**
   * The trading account's signed quantity in a contract as the positions subscription holds it
   * now (-2: short two), or undefined before the first full download of this session.
   */
  heldQuantity(conId: number): number | undefined {
    if (!this.heldKnown) return undefined;
    return this.inAccount([...this.held.values()])
      .filter((p) => p.contract.conId === conId)
      .reduce((total, p) => total + p.quantity, 0);
  }

  /** The trading account's positions from the subscription, or undefined before the first download. */
  heldPositions(): BrokerPosition[] | undefined {
    return this.heldKnown ? this.inAccount([...this.held.values()]) : undefined;
  }

  private inAccount<T extends { account: string }>(rows: T[]): T[] {
    const account = this.account;
    return account ? rows.filter((r) => !r.account || r.account === account) : rows;
  }

  /** Every client's open orders (and manual TWS orders): a snapshot that binds nothing. */
  openOrders(): Promise<BrokerOrder[]> {
    return this.request((resolve) => {
      const orders = new Map<number, BrokerOrder>();
      const onOpen = (orderId: number, contract: Contract, order: Order, state: OrderState) => {
        const o = toBrokerOrder(orderId, contract, order, state);
        orders.set(o.permId || o.orderId, o);
      };
      const onStatus = (
        orderId: number,
        status: string,
        filled: number,
        remaining: number,
        avg: number,
        permId?: number,
      ) => {
        const o = orders.get(permId || orderId);
        if (o)
          Object.assign(o, {
            status: String(status),
            filled: Number(filled),
            remaining: Number(remaining),
            avgFillPrice: avg,
          });
      };
      const onEnd = () => resolve(this.inAccount([...orders.values()]));
      this.api.on(EventName.openOrder, onOpen);
      this.api.on(EventName.orderStatus, onStatus);
      this.api.once(EventName.openOrderEnd, onEnd);
      this.api.reqAllOpenOrders();
      return () => {
        this.api.off(EventName.openOrder, onOpen);
        this.api.off(EventName.orderStatus, onStatus);
        this.api.off(EventName.openOrderEnd, onEnd);
      };
    }, "reqAllOpenOrders");
  }

  accountSummary(): Promise<AccountSummary> {
    const reqId = this.nextReqId();
    return this.request((resolve) => {
      const summary: AccountSummary = {};
      const onRow = (id: number, account: string, tag: string, value: string, currency: string) => {
        if (id !== reqId || (this.account && account !== this.account)) return;
        summary[tag] = { value, currency };
      };
      const onEnd = (id: number) => {
        if (id !== reqId) return;
        this.api.cancelAccountSummary(reqId);
        resolve(summary);
      };
      this.api.on(EventName.accountSummary, onRow);
      this.api.on(EventName.accountSummaryEnd, onEnd);
      this.api.reqAccountSummary(reqId, "All", ACCOUNT_TAGS);
      return () => {
        this.api.off(EventName.accountSummary, onRow);
        this.api.off(EventName.accountSummaryEnd, onEnd);
      };
    }, "reqAccountSummary");
  }

  /** Today's executions (with commissions where reported), e.g. to replay after a reconnect. */
  executions(filter: ExecutionFilter = {}): Promise<BrokerExecution[]> {
    const reqId = this.nextReqId();
    return this.request((resolve) => {
      const rows: BrokerExecution[] = [];
      const onExec = (id: number, contract: Contract, execution: Execution) => {
        if (id !== reqId) return;
        const row = toBrokerExecution(contract, execution);
        if (!this.account || !row.account || row.account === this.account) rows.push(row);
      };
      const onEnd = (id: number) => {
        if (id !== reqId) return;
        // Commission reports follow their executions; give them one turn of the event loop.
        setImmediate(() => {
          resolve(
            rows.map((r) => {
              const c = this.commissions.get(r.execId);
              return c ? withCommission(r, c) : r;
            }),
          );
        });
      };
      this.api.on(EventName.execDetails, onExec);
      this.api.on(EventName.execDetailsEnd, onEnd);
      this.api.reqExecutions(reqId, filter);
      return () => {
        this.api.off(EventName.execDetails, onExec);
        this.api.off(EventName.execDetailsEnd, onEnd);
      };
    }, "reqExecutions");
  }

  /** Orders that ended, ours and others', as far back as IB keeps them (beyond today's executions). */
  completedOrders(): Promise<CompletedOrder[]> {
    return this.request((resolve) => {
      const rows: CompletedOrder[] = [];
      const onOrder = (contract: Contract, order: Order, state: OrderState) => {
        rows.push({
          ...toBrokerOrder(order.orderId ?? 0, contract, order, state),
          completedStatus: state?.completedStatus ?? "",
          completedTime: state?.completedTime ?? "",
        });
      };
      const onEnd = () => resolve(this.inAccount(rows));
      this.api.on(EventName.completedOrder, onOrder);
      this.api.once(EventName.completedOrdersEnd, onEnd);
      this.api.reqCompletedOrders(false);
      return () => {
        this.api.off(EventName.completedOrder, onOrder);
        this.api.off(EventName.completedOrdersEnd, onEnd);
      };
    }, "reqCompletedOrders");
  }

  /** Request ids stay small; order ids start at 1e6 so IB never confuses the two. */
  nextReqId(): number {
    return this.reqIds++;
  }

  /**
   * Runs one request; `start` returns its cleanup. If the session closes first the
   * promise rejects, so no caller waits forever on a dead socket.
   */
  /**
   * One request and its answer. A gateway that answers heartbeats but never this request (IB
   * stalls a reqPositions now and then) fails it after `timeoutMs`, so that no work waits on it
   * for ever; a hung gateway is the supervisor's to find, and closing the session rejects it too.
   */
  request<T>(
    start: (resolve: (v: T) => void, reject: (e: Error) => void) => () => void,
    what = "a request",
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new Error("not connected to the gateway"));
    const { clock } = this.opts;
    return new Promise<T>((resolve, reject) => {
      let cleanup: () => void = () => {};
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        this.pending.delete(entry);
        cleanup();
        fn();
      };
      const entry: Pending = { reject: (e) => finish(() => reject(e)) };
      const timer = clock.setTimeout(
        () => entry.reject(new Error(`the gateway did not answer ${what} within ${timeoutMs / 1000}s`)),
        timeoutMs,
      );
      this.pending.add(entry);
      cleanup = start(
        (v) => finish(() => resolve(v)),
        (e) => finish(() => reject(e)),
      );
      if (settled) cleanup();
    });
  }

  /** Drops the socket; every pending request rejects. */
  close(): void {
    this.shutdown();
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending) p.reject(new Error("the gateway connection closed"));
    for (const execId of [...this.awaitingCommission.keys()]) this.releaseExecution(execId);
    this.pending.clear();
    try {
      this.api.disconnect();
    } catch {
      // already gone
    }
    this.emit({ type: "closed" });
    this.api.removeAllListeners();
    this.listeners.clear();
  }
}

export function toBrokerContract(c: Contract): BrokerContract {
  const right =
    c.right === "P" || c.right === "C" ? c.right : c.right ? (String(c.right)[0] as "P" | "C") : undefined;
  return {
    conId: c.conId ?? 0,
    symbol: c.symbol ?? "",
    secType: String(c.secType ?? ""),
    expiry: c.lastTradeDateOrContractMonth || undefined,
    strike: c.strike || undefined,
    right,
    multiplier: c.multiplier ? Number(c.multiplier) : undefined,
    exchange: c.exchange,
    currency: c.currency,
    localSymbol: c.localSymbol,
    tradingClass: c.tradingClass,
  };
}

function withCommission(e: BrokerExecution, report: CommissionReport): BrokerExecution {
  // IB sends Double.MAX_VALUE for "no realized P&L" (an opening fill).
  const realized = report.realizedPNL;
  return {
    ...e,
    commission: report.commission ?? e.commission,
    realizedPnl: realized !== undefined && Math.abs(realized) < 1e300 ? realized : undefined,
  };
}

function heldKey(account: string, conId: number | undefined): string {
  return `${account}|${conId ?? 0}`;
}

function toBrokerOrder(orderId: number, contract: Contract, order: Order, state: OrderState): BrokerOrder {
  return {
    orderId,
    permId: order.permId ?? 0,
    clientId: order.clientId ?? 0,
    orderRef: order.orderRef ?? "",
    account: order.account ?? "",
    contract: toBrokerContract(contract),
    action: order.action === "SELL" ? "SELL" : "BUY",
    orderType: String(order.orderType ?? ""),
    quantity: Number(order.totalQuantity ?? 0),
    limitPrice: order.lmtPrice,
    auxPrice: order.auxPrice,
    tif: String(order.tif ?? ""),
    ocaGroup: order.ocaGroup || undefined,
    ocaType: order.ocaType,
    parentId: order.parentId || undefined,
    status: String(state?.status ?? ""),
    filled: Number(order.filledQuantity ?? 0),
    remaining: Number(order.totalQuantity ?? 0) - Number(order.filledQuantity ?? 0),
  };
}

function toBrokerExecution(contract: Contract, e: Execution): BrokerExecution {
  return {
    execId: e.execId ?? "",
    orderId: e.orderId ?? 0,
    permId: e.permId ?? 0,
    clientId: e.clientId ?? 0,
    orderRef: e.orderRef ?? "",
    account: e.acctNumber ?? "",
    contract: toBrokerContract(contract),
    side: e.side === "SLD" ? "SLD" : "BOT",
    shares: Number(e.shares ?? 0),
    price: e.price ?? 0,
    time: e.time ?? "",
  };
}
