/**
 * IbSimulator: a TCP server speaking the TWS API (server version 193) to the unmodified
 * @stoqey/ib client, backed by a simulated exchange, with fault injection.
 */
import { EventEmitter } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { SPY_STOCK } from "./chain.js";
import { Connection, type ConnectionInfo } from "./connection.js";
import {
  type MarketDataModes,
  type OptionsData,
  type SimContext,
  type SimLogger,
  silentSimLogger,
} from "./context.js";
import { DecodeError, decodeRequest } from "./decode.js";
import type { ExecTimeFormat } from "./eastern.js";
import * as enc from "./encode.js";
import { Exchange, type FillTarget, type OrderCause } from "./exchange.js";
import { applyFault } from "./fault-actions.js";
import { type Fault, type FaultInput, type FaultModes, faultSchema, initialModes } from "./faults.js";
import { type Frame, FramingError } from "./framing.js";
import { portfolioRow, streamTicks } from "./handle-data.js";
import { executionMessages, orderMessages } from "./handle-orders.js";
import { Market } from "./market.js";
import { KNOWN_CLIENT_IDS, OUT } from "./msg-ids.js";
import { route } from "./router.js";
import { applySeed, journalSeed, type Seed } from "./seed.js";
import { onHandshake, onStartApi } from "./session.js";
import { buildState, type SimState } from "./state.js";
import type { OrderType, SimExecution, SimOrder, SimPosition } from "./types.js";
import { MIN_CLIENT_VERSION, SERVER_VERSION } from "./versions.js";

export interface SimulatorOptions {
  port?: number;
  host?: string;
  now?: () => Date;
  seed?: Seed;
  /** The login's only account (default DU1234567); ignored when `accounts` is given. */
  account?: string;
  /** Several accounts under one login: managedAccounts lists them all, seed positions sit in the first. */
  accounts?: string[];
  /** Client id that owns the journal seed's exit orders (default 7). */
  ownerClientId?: number;
  /** Push a returning client's open orders on START_API, like TWS's "Download open orders on connection". */
  downloadOpenOrdersOnConnect?: boolean;
  spot?: number;
  vol?: number;
  rate?: number;
  cash?: number;
  logger?: SimLogger;
  /** Execution time strings: "zone" (default) `20260204 09:42:00 US/Eastern`, "legacy" `20260204  09:42:00`, "utc" `20260204-14:42:00`. */
  execTimeFormat?: ExecTimeFormat;
  /** The newest server version to answer a handshake with (default 193; e.g. 187 for the stable gateway channel). */
  serverVersion?: number;
  /** The options market data the account has (default live; see feedFor in handle-data.ts). */
  optionsData?: OptionsData;
  /** false: no option computation ticks at all. */
  greeks?: boolean;
  /** A random delay per snapshot and per stream's first ticks, e.g. [300, 1500] (default none). */
  quoteLatencyMs?: [number, number];
}

/** An order entered outside the bot: manual in TWS (client 0) or from another API client. */
export interface ManualOrder {
  /** The owner; 0 (default) is TWS itself, i.e. a manual order. */
  clientId?: number;
  conId: number;
  action: "BUY" | "SELL";
  quantity: number;
  orderType: OrderType;
  lmtPrice?: number;
  auxPrice?: number;
  tif?: string;
  account?: string;
  orderRef?: string;
  ocaGroup?: string;
  ocaType?: number;
}

export interface RequestInfo {
  connId: number;
  clientId: number | null;
  msgId: number;
  type: string;
  /** Why the simulator did not answer, if it did not ("stall", ...). */
  ignored?: string;
}

export interface SimEvents {
  connection: [ConnectionInfo];
  disconnect: [ConnectionInfo];
  request: [RequestInfo];
  /** A frame that arrived while the gateway hangs; it is processed after `clear`. */
  held: [RequestInfo];
  /** Bytes from a connection accepted during the `silent` fault, which are never answered. */
  silenced: [{ connId: number; bytes: number }];
  order: [SimOrder, OrderCause];
  execution: [SimExecution];
  position: [SimPosition];
  fault: [Fault];
}

export class IbSimulator extends EventEmitter<SimEvents> implements SimContext {
  readonly exchange: Exchange;
  readonly market: Market;
  readonly modes: FaultModes = initialModes();
  /** Fill news (status and executions) held back while IB's connectivity is lost. */
  private readonly withheld: Array<{ clientId: number; messages: enc.Fields[] }> = [];
  readonly log: SimLogger;
  /** Changeable at run time (POST /exec-time-format). */
  execTimeFormat: ExecTimeFormat;
  readonly now: () => Date;
  readonly host: string;
  private readonly conns = new Set<Connection>();
  private readonly server: Server;
  private readonly sessionOptions: { downloadOpenOrders: boolean };
  private nextConnId = 1;
  private boundPort = 0;
  readonly serverVersion: number;
  readonly marketData: MarketDataModes;
  private readonly quoteLatency: [number, number] | undefined;

  private constructor(opts: SimulatorOptions) {
    super();
    this.now = opts.now ?? (() => new Date());
    this.log = opts.logger ?? silentSimLogger;
    this.execTimeFormat = opts.execTimeFormat ?? "zone";
    this.serverVersion = opts.serverVersion ?? SERVER_VERSION;
    if (!Number.isInteger(this.serverVersion) || this.serverVersion < MIN_CLIENT_VERSION) {
      throw new Error(
        `serverVersion must be an integer from ${MIN_CLIENT_VERSION}, got ${opts.serverVersion}`,
      );
    }
    this.marketData = { options: opts.optionsData ?? "live", greeks: opts.greeks ?? true };
    this.quoteLatency = opts.quoteLatencyMs;
    this.host = opts.host ?? "127.0.0.1";
    this.sessionOptions = { downloadOpenOrders: opts.downloadOpenOrdersOnConnect ?? true };
    this.market = new Market({
      spot: opts.spot ?? 680,
      vol: opts.vol ?? 0.2,
      rate: opts.rate ?? 0.04,
      now: this.now,
    });
    this.exchange = new Exchange({
      accounts: opts.accounts?.length ? opts.accounts : [opts.account ?? "DU1234567"],
      cash: opts.cash ?? 250_000,
      market: this.market,
    });
    this.exchange.on("order", (order, cause) => this.onOrder(order, cause));
    this.exchange.on("execution", (e) => this.onExecution(e));
    this.exchange.on("position", (p) => this.onPosition(p));
    const seed = opts.seed ?? "journal";
    if (seed === "journal") applySeed(this.exchange, journalSeed(this.now(), opts.ownerClientId ?? 7));
    else if (seed !== "empty") applySeed(this.exchange, seed);
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(opts: SimulatorOptions = {}): Promise<IbSimulator> {
    const sim = new IbSimulator(opts);
    await new Promise<void>((resolve, reject) => {
      sim.server.once("error", reject);
      sim.server.listen(opts.port ?? 0, sim.host, () => resolve());
    });
    const address = sim.server.address();
    sim.boundPort = typeof address === "object" && address ? address.port : 0;
    sim.log.info({ host: sim.host, port: sim.boundPort }, "IB Gateway simulator listening");
    return sim;
  }

  get port(): number {
    return this.boundPort;
  }

  /** The first (default) account. */
  get account(): string {
    return this.exchange.account;
  }

  get accounts(): readonly string[] {
    return this.exchange.accounts;
  }

  connections(): Connection[] {
    return [...this.conns];
  }

  connectionOf(clientId: number): Connection | undefined {
    return this.connections().find((c) => c.ready && c.clientId === clientId);
  }

  /** Injects a fault (see faults.ts). Throws a ZodError on an invalid description. */
  fault(input: FaultInput): void {
    const fault = faultSchema.parse(input);
    this.log.info({ fault }, "fault");
    applyFault(this, fault);
    this.emit("fault", fault);
  }

  /**
   * Fills a live order now, at `price` or its own limit/stop price (market orders: the touch);
   * `quantity` fills part of it (default: all that remains).
   */
  fill(target: FillTarget, price?: number, quantity?: number): SimExecution {
    return this.exchange.fill(this.exchange.findLive(target), price, quantity);
  }

  /**
   * Places an order as another client would: client 0 is a manual TWS order. It gets the owner's
   * next order id and works against the same account and positions; only its owner (if connected)
   * hears its openOrder/orderStatus/executions. Throws with IB's code and message when refused.
   */
  placeOrder(o: ManualOrder): SimOrder {
    const clientId = o.clientId ?? 0;
    const contract = this.market.byConId(o.conId);
    if (!contract) throw new Error(`200 No security definition has been found for conId ${o.conId}`);
    const result = this.exchange.place(clientId, {
      orderId: this.exchange.nextOrderId(clientId),
      contract,
      action: o.action,
      totalQuantity: o.quantity,
      orderType: o.orderType,
      lmtPrice: o.lmtPrice,
      auxPrice: o.auxPrice,
      tif: o.tif ?? "DAY",
      ocaGroup: o.ocaGroup ?? "",
      ocaType: o.ocaType ?? 0,
      account: o.account ?? "",
      orderRef: o.orderRef ?? "",
      parentId: 0,
      transmit: true,
      outsideRth: false,
    });
    if (!result.ok) throw new Error(`${result.code} ${result.message}`);
    return structuredClone(result.order);
  }

  /** A trader edits a working order in TWS (price or size); its owner hears the new openOrder. */
  modifyOrder(
    target: FillTarget,
    change: { lmtPrice?: number; auxPrice?: number; quantity?: number },
  ): SimOrder {
    const result = this.exchange.amend(this.exchange.findLive(target), change);
    if (!result.ok) throw new Error(`${result.code} ${result.message}`);
    return structuredClone(result.order);
  }

  /**
   * IB corrects an execution: its owner gets the execution again with the next execId suffix
   * (`...01.01` -> `...01.02`) at `price` (default: the old price) and a commission report for the
   * new execId; reqExecutions then replays the correction instead of the original.
   */
  correctExecution(execId: string, price?: number): SimExecution {
    return structuredClone(this.exchange.correctExecution(execId, price));
  }

  /** Cancels a live order as the broker would (e.g. from TWS); the owner gets Cancelled + 202. */
  cancel(orderId: number, clientId?: number): SimOrder {
    const order = this.exchange.findLive({ orderId, clientId });
    const result = this.exchange.cancel(order.clientId, order.orderId);
    if (!result.ok) throw new Error(result.message);
    return result.order;
  }

  /** The option expires: out of the money it simply disappears with its working orders. */
  expire(conId: number): void {
    this.exchange.settleOption(conId, false, SPY_STOCK);
  }

  /**
   * The option is assigned: it disappears and the account receives (or delivers) the shares. Before
   * its expiry (early assignment) working orders on it stay live, as at IB.
   */
  assign(conId: number): void {
    this.exchange.settleOption(conId, true, SPY_STOCK);
  }

  /**
   * IB Gateway restarted: every connection drops, and nextValidId starts again at 1 although the
   * account's orders (live and done) are still there under their old ids.
   */
  restartGateway(): void {
    this.exchange.forgetOrderIds();
    for (const conn of this.connections()) conn.socket.destroy();
  }

  /** What options market data the account has from now on (POST /market-data). */
  setMarketData(change: Partial<MarketDataModes>): MarketDataModes {
    if (change.options !== undefined) this.marketData.options = change.options;
    if (change.greeks !== undefined) this.marketData.greeks = change.greeks;
    this.log.info({ marketData: this.marketData }, "market data");
    return { ...this.marketData };
  }

  quoteDelayMs(): number {
    if (!this.quoteLatency) return 0;
    const [min, max] = this.quoteLatency;
    return Math.round(min + Math.random() * Math.max(0, max - min));
  }

  /** Moves the underlying; streams new ticks and fills whatever became marketable or triggered. */
  setPrice(symbol: string, price: number): void {
    if (symbol.toUpperCase() !== "SPY") {
      throw new Error(`unknown symbol ${symbol}: the simulator only lists SPY`);
    }
    this.market.setSpot(price);
    if (!this.modes.competingSession) {
      for (const conn of this.connections()) {
        if (!conn.ready) continue;
        for (const [reqId, contract] of conn.streams) {
          conn.sendAll(streamTicks(this, conn, reqId, contract));
        }
      }
    }
    this.exchange.evaluate("tick");
  }

  state(): SimState {
    return buildState(this);
  }

  async close(): Promise<void> {
    for (const conn of this.conns) conn.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.log.info({}, "IB Gateway simulator closed");
  }

  /** Sends an info/error message (id -1) to every ready connection. */
  broadcast(code: number, message: string): void {
    for (const conn of this.connections()) if (conn.ready) conn.send(enc.errMsg(-1, code, message));
  }

  /** Runs frames that arrived while the gateway hung. */
  releaseHeld(): void {
    for (const conn of this.connections()) {
      while (conn.held.length && !this.modes.hang && !conn.socket.destroyed) {
        this.process(conn, conn.held.shift()!);
      }
    }
  }

  private accept(socket: Socket): void {
    const conn = new Connection(this.nextConnId++, socket, () => !this.modes.hang);
    conn.silent = this.modes.silent;
    this.conns.add(conn);
    this.log.debug({ conn: conn.id, remote: conn.remote, silent: conn.silent }, "accepted");
    socket.on("data", (chunk) => this.onData(conn, chunk));
    socket.on("error", (err) => this.log.debug({ conn: conn.id, err: err.message }, "socket error"));
    socket.on("close", () => {
      this.conns.delete(conn);
      const wasReady = conn.phase === "ready";
      conn.phase = "closed";
      this.log.debug({ conn: conn.id, clientId: conn.clientId }, "closed");
      if (wasReady) this.emit("disconnect", conn.info());
    });
  }

  private onData(conn: Connection, chunk: Buffer): void {
    if (conn.silent) {
      this.emit("silenced", { connId: conn.id, bytes: chunk.length });
      return;
    }
    if (conn.phase === "closed") return;
    let frames: Frame[];
    try {
      frames = conn.reader.push(chunk);
    } catch (err) {
      // Framing cannot resynchronise after a bad length, so only this client is cut off.
      const reason = err instanceof FramingError ? err.message : String(err);
      this.log.warn({ conn: conn.id, err: reason }, "unreadable stream from client; closing it");
      conn.socket.destroy();
      return;
    }
    for (const frame of frames) {
      conn.framesIn++;
      if (this.modes.hangAtNextOrder && isPlaceOrder(frame)) {
        this.modes.hangAtNextOrder = false;
        this.modes.hang = true;
      }
      if (this.modes.hang || conn.held.length) {
        conn.held.push(frame);
        this.emit("held", this.requestInfo(conn, frame));
        continue;
      }
      this.process(conn, frame);
    }
  }

  private requestInfo(conn: Connection, frame: Frame, type = "", ignored?: string): RequestInfo {
    const msgId = frame.kind === "message" ? Number(frame.fields[0]) : -1;
    const info: RequestInfo = {
      connId: conn.id,
      clientId: conn.clientId ?? null,
      msgId,
      type: type || frame.kind,
    };
    if (ignored) info.ignored = ignored;
    return info;
  }

  private process(conn: Connection, frame: Frame): void {
    try {
      if (frame.kind === "handshake") onHandshake(this, conn, frame.versions);
      else if (conn.phase === "ready") this.onRequest(conn, frame);
      else if (conn.phase === "await-start" && onStartApi(this, conn, frame.fields, this.sessionOptions)) {
        this.emit("connection", conn.info());
      }
    } catch (err) {
      // A bug or an unexpected input must not take the gateway down for everyone.
      this.log.error({ conn: conn.id, err: String(err), stack: (err as Error).stack }, "request failed");
      conn.send(enc.errMsg(-1, 320, `Error reading request: ${String(err)}`));
    }
  }

  private onRequest(conn: Connection, frame: Frame & { kind: "message" }): void {
    let request: ReturnType<typeof decodeRequest>;
    try {
      request = decodeRequest(frame.fields, conn.version);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.log.warn({ conn: conn.id, msgId: err.msgId, err: err.message }, "malformed request");
      this.emit("request", this.requestInfo(conn, frame, "malformed"));
      conn.send(enc.errMsg(err.id, 320, `Error reading request. Message id ${err.msgId}. ${err.message}`));
      return;
    }
    if (request.type === "unknown") {
      const known = KNOWN_CLIENT_IDS.has(request.msgId);
      this.log.warn({ conn: conn.id, msgId: request.msgId, known }, "unsupported request");
      this.emit("request", this.requestInfo(conn, frame, "unknown"));
      conn.send(
        known
          ? enc.errMsg(
              -1,
              321,
              `Error validating request.-'msg ${request.msgId}' : cause - not supported by the simulator`,
            )
          : enc.errMsg(-1, 505, `Fatal Error: Unknown message id ${frame.fields[0] ?? ""}.`),
      );
      return;
    }
    const ignored = route(this, conn, request);
    if (ignored) this.log.debug({ conn: conn.id, type: request.type, ignored }, "request ignored");
    this.emit("request", this.requestInfo(conn, frame, request.type, ignored));
  }

  private onOrder(order: SimOrder, cause: OrderCause): void {
    const messages = orderMessages(order, cause);
    if (cause === "filled") this.tellFill(order.clientId, messages);
    else this.connectionOf(order.clientId)?.sendAll(messages);
    this.emit("order", structuredClone(order), cause);
  }

  private onExecution(e: SimExecution): void {
    this.tellFill(e.clientId, executionMessages(-1, e, this.execTimeFormat));
    this.emit("execution", structuredClone(e));
  }

  /**
   * News of a fill for one client; while IB's connectivity is lost (1100) it waits for the
   * restore (acknowledgements are the gateway's own and still come).
   */
  private tellFill(clientId: number, messages: enc.Fields[]): void {
    if (this.modes.connectivityLost) this.withheld.push({ clientId, messages });
    else this.connectionOf(clientId)?.sendAll(messages);
  }

  /**
   * Connectivity is back: with 1102 (data maintained) the fill news of the outage arrives now;
   * with 1101 (data lost) it never does, and a client must ask again (reqExecutions, open orders).
   */
  deliverWithheld(dataLost: boolean): void {
    const news = this.withheld.splice(0);
    if (dataLost) return;
    for (const { clientId, messages } of news) this.connectionOf(clientId)?.sendAll(messages);
  }

  private onPosition(p: SimPosition): void {
    if (!this.modes.stall.includes("positions")) {
      for (const conn of this.connections())
        if (conn.ready && conn.positionsSubscribed) conn.send(enc.position(p));
    }
    if (!this.modes.stall.includes("account")) {
      for (const conn of this.connections()) {
        if (conn.ready && conn.accountUpdates === p.account) conn.send(portfolioRow(this, p));
      }
    }
    this.emit("position", structuredClone(p));
  }
}

function isPlaceOrder(frame: Frame): boolean {
  return frame.kind === "message" && frame.fields[0] === String(OUT.PLACE_ORDER);
}
