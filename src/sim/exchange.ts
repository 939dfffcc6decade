/**
 * The broker behind the gateway: one account's orders, fills, positions and executions.
 * Socket-free; the server turns its events into wire messages.
 */
import { EventEmitter } from "node:events";
import { accountValues, bookFill, commissionFor } from "./accounting.js";
import { eastern } from "./eastern.js";
import type { Market, Quote } from "./market.js";
import { roundCents } from "./pricing.js";
import type { Action, OrderType, SimContract, SimExecution, SimOrder, SimPosition } from "./types.js";
import { isLive } from "./types.js";

export interface PlaceRequest {
  orderId: number;
  contract: SimContract;
  action: Action;
  totalQuantity: number;
  orderType: OrderType;
  lmtPrice?: number;
  auxPrice?: number;
  tif: string;
  ocaGroup: string;
  ocaType: number;
  account: string;
  orderRef: string;
  parentId: number;
  transmit: boolean;
  outsideRth: boolean;
  /** Stop trigger method (0 = default); see stopTouched. */
  triggerMethod?: number;
}

/** The orderState of a whatIf answer (money in USD). */
export interface MarginPreview {
  initMarginBefore: number;
  maintMarginBefore: number;
  equityWithLoanBefore: number;
  initMarginChange: number;
  maintMarginChange: number;
  equityWithLoanChange: number;
  initMarginAfter: number;
  maintMarginAfter: number;
  equityWithLoanAfter: number;
  commission: number;
  minCommission: number;
  maxCommission: number;
}

export type FillTarget = { orderId: number; clientId?: number } | { orderRef: string };

export type OrderCause = "placed" | "modified" | "activated" | "triggered" | "filled" | "cancelled";

export type PlaceResult =
  | { ok: true; order: SimOrder }
  | { ok: false; code: number; message: string; order?: SimOrder };

export type CancelResult = { ok: true; order: SimOrder } | { ok: false; code: number; message: string };

interface ExchangeEvents {
  order: [order: SimOrder, cause: OrderCause];
  execution: [execution: SimExecution];
  position: [position: SimPosition];
}

export interface ExchangeOptions {
  /** The login's accounts; the first is the default (seed positions, values). */
  accounts: string[];
  cash: number;
  market: Market;
}

const EXEC_PREFIX = "0000e0d5";

export class Exchange extends EventEmitter<ExchangeEvents> {
  readonly accounts: readonly string[];
  /** False while IB's connectivity is lost: orders are accepted but nothing fills by itself. */
  autoFill = true;
  private readonly cashBook = new Map<string, number>();
  private readonly market: Market;
  private readonly orderBook = new Map<string, SimOrder>();
  /** By account and conId. */
  private readonly positionBook = new Map<string, SimPosition>();
  private readonly executionLog: SimExecution[] = [];
  private readonly completedLog: SimOrder[] = [];
  private readonly maxOrderId = new Map<number, number>();
  private nextPermId = 1_840_000_001;
  private execSeq = 0;

  constructor(opts: ExchangeOptions) {
    super();
    if (opts.accounts.length === 0) throw new Error("the login needs at least one account");
    this.accounts = [...opts.accounts];
    for (const account of this.accounts) this.cashBook.set(account, opts.cash);
    this.market = opts.market;
  }

  /** The first (default) account. */
  get account(): string {
    return this.accounts[0] ?? "";
  }

  orders(): SimOrder[] {
    return [...this.orderBook.values()];
  }

  liveOrders(clientId?: number): SimOrder[] {
    return this.orders().filter((o) => isLive(o) && (clientId === undefined || o.clientId === clientId));
  }

  findOrder(clientId: number, orderId: number): SimOrder | undefined {
    return this.orderBook.get(key(clientId, orderId));
  }

  /** The live order a command means: by id (any client, unless given) or the latest with that orderRef. */
  findLive(target: FillTarget): SimOrder {
    const matches = this.liveOrders().filter((o) =>
      "orderRef" in target
        ? o.orderRef === target.orderRef
        : o.orderId === target.orderId && (target.clientId === undefined || o.clientId === target.clientId),
    );
    const order = matches.at(-1);
    if (!order) throw new Error(`no live order matches ${JSON.stringify(target)}`);
    if ("orderId" in target && matches.length > 1) {
      throw new Error(`order id ${target.orderId} is live for several client ids; pass clientId`);
    }
    return order;
  }

  positions(): SimPosition[] {
    return [...this.positionBook.values()];
  }

  executions(): SimExecution[] {
    return [...this.executionLog];
  }

  /** One account's values (default: the first account). */
  values(account = this.account) {
    return accountValues(
      this.cashBook.get(account) ?? 0,
      this.positions().filter((p) => p.account === account),
      (c) => this.market.quote(c),
      this.market.spot,
    );
  }

  /**
   * A whatIf order's margin preview: the account's values before and after the order would fill
   * whole (at its limit, stop or the touch), and its commission. Nothing is booked.
   */
  whatIf(req: PlaceRequest): PlaceResult | { ok: true; preview: MarginPreview } {
    const invalid = this.validate(req);
    if (invalid) return invalid;
    const account = req.account || this.account;
    const quote = this.market.quote(req.contract);
    const touch = req.action === "BUY" ? quote.ask : quote.bid;
    const price = req.orderType === "MKT" ? touch : (req.lmtPrice ?? req.auxPrice ?? touch);
    const commission = commissionFor(req.contract, req.totalQuantity);
    const signed = req.action === "BUY" ? req.totalQuantity : -req.totalQuantity;
    const positions = this.positions()
      .filter((p) => p.account === account)
      .map((p) => ({ ...p }));
    let target = positions.find((p) => p.contract.conId === req.contract.conId);
    if (!target) {
      target = { account, contract: req.contract, pos: 0, avgCost: 0 };
      positions.push(target);
    }
    bookFill(target, signed, price, commission);
    const cash = this.cashOf(account) - signed * price * req.contract.multiplier - commission;
    const mark = (c: SimContract) => this.market.quote(c);
    const before = this.values(account);
    const after = accountValues(cash, positions, mark, this.market.spot);
    return {
      ok: true,
      preview: {
        initMarginBefore: before.InitMarginReq,
        maintMarginBefore: before.MaintMarginReq,
        equityWithLoanBefore: before.NetLiquidation,
        initMarginChange: roundCents(after.InitMarginReq - before.InitMarginReq),
        maintMarginChange: roundCents(after.MaintMarginReq - before.MaintMarginReq),
        equityWithLoanChange: roundCents(after.NetLiquidation - before.NetLiquidation),
        initMarginAfter: after.InitMarginReq,
        maintMarginAfter: after.MaintMarginReq,
        equityWithLoanAfter: after.NetLiquidation,
        commission,
        minCommission: commission,
        maxCommission: commission,
      },
    };
  }

  cashOf(account = this.account): number {
    return this.cashBook.get(account) ?? 0;
  }

  private position(account: string, contract: SimContract): SimPosition {
    const id = posKey(account, contract.conId);
    let position = this.positionBook.get(id);
    if (!position) {
      position = { account, contract, pos: 0, avgCost: 0 };
      this.positionBook.set(id, position);
    }
    return position;
  }

  private addCash(account: string, amount: number): void {
    this.cashBook.set(account, (this.cashBook.get(account) ?? 0) + amount);
  }

  /** The smallest order id this client may use next: above every id it has used. */
  nextOrderId(clientId: number): number {
    return (this.maxOrderId.get(clientId) ?? 0) + 1;
  }

  /** A restarted gateway hands out order ids from 1 again; the orders themselves stay. */
  forgetOrderIds(): void {
    this.maxOrderId.clear();
  }

  /** Adds a position without a fill (seeding). */
  seedPosition(contract: SimContract, pos: number, price: number, account = this.account): SimPosition {
    const position = this.position(account, contract);
    position.pos = pos;
    position.avgCost = price * contract.multiplier;
    return position;
  }

  place(
    clientId: number,
    req: PlaceRequest,
    opts: { reject?: string; inactive?: boolean } = {},
  ): PlaceResult {
    const existing = this.findOrder(clientId, req.orderId);
    if (existing) return this.modify(existing, req, opts.reject);
    const invalid = this.validate(req);
    if (invalid) return invalid;
    this.maxOrderId.set(clientId, Math.max(this.maxOrderId.get(clientId) ?? 0, req.orderId));
    const order: SimOrder = {
      ...req,
      account: req.account || this.account,
      clientId,
      permId: this.nextPermId++,
      status: "Submitted",
      held: false,
      filled: 0,
      avgFillPrice: 0,
      lastFillPrice: 0,
    };
    this.orderBook.set(key(clientId, req.orderId), order);
    if (opts.reject !== undefined) {
      order.status = "Cancelled";
      order.endReason = "rejected";
      this.complete(order, COMPLETED_STATUS.rejected ?? "Rejected");
      return { ok: false, code: 201, message: `Order rejected - reason:${opts.reject}`, order };
    }
    if (opts.inactive) {
      // Accepted but never working: IB's Inactive (it can still be cancelled).
      order.status = "Inactive";
      this.emit("order", order, "placed");
      return { ok: true, order };
    }
    this.refreshHold(order);
    this.emit("order", order, "placed");
    if (order.transmit && order.parentId) this.transmitBracket(clientId, order.parentId);
    this.evaluate(order);
    return { ok: true, order };
  }

  /**
   * A trader changes an order in TWS (any client's, e.g. the bot's working entry): its limit, stop or
   * size. The order keeps its id, permId, owner and orderRef; the owner hears the new openOrder.
   */
  amend(order: SimOrder, change: { lmtPrice?: number; auxPrice?: number; quantity?: number }): PlaceResult {
    return this.modify(order, {
      ...order,
      totalQuantity: change.quantity ?? order.totalQuantity,
      lmtPrice: change.lmtPrice ?? order.lmtPrice,
      auxPrice: change.auxPrice ?? order.auxPrice,
    });
  }

  private modify(order: SimOrder, req: PlaceRequest, reject?: string): PlaceResult {
    if (order.status === "Filled") return { ok: false, code: 104, message: "Can't modify a filled order." };
    if (!isLive(order)) return { ok: false, code: 103, message: "Duplicate order id" };
    if (order.contract.conId !== req.contract.conId || order.action !== req.action) {
      return { ok: false, code: 105, message: "Order being modified does not match original order." };
    }
    const invalid = this.validate(req);
    if (invalid) return invalid;
    if (reject !== undefined) return { ok: false, code: 201, message: `Order rejected - reason:${reject}` };
    Object.assign(order, {
      totalQuantity: req.totalQuantity,
      orderType: req.orderType,
      lmtPrice: req.lmtPrice,
      auxPrice: req.auxPrice,
      tif: req.tif,
      orderRef: req.orderRef,
      outsideRth: req.outsideRth,
      transmit: order.transmit || req.transmit,
      triggerMethod: req.triggerMethod ?? order.triggerMethod,
    });
    if (!order.triggered) order.triggerHits = 0;
    this.refreshHold(order);
    this.emit("order", order, "modified");
    this.evaluate(order);
    return { ok: true, order };
  }

  private validate(req: PlaceRequest): PlaceResult | undefined {
    const reject = (reason: string): PlaceResult => ({
      ok: false,
      code: 201,
      message: `Order rejected - reason:${reason}`,
    });
    if (!(req.totalQuantity > 0)) return reject("The order quantity must be positive.");
    if (req.account && !this.accounts.includes(req.account)) {
      return reject(`Invalid account code ${req.account}.`);
    }
    if (!req.account && this.accounts.length > 1) {
      return {
        ok: false,
        code: 436,
        message: "You must specify an allocation (either a single account, group, or profile).",
      };
    }
    if (req.orderType === "LMT" && !isPrice(req.lmtPrice))
      return reject("A limit order needs a limit price.");
    if (isStop(req.orderType) && !isPrice(req.auxPrice)) return reject("A stop order needs a stop price.");
    if (req.orderType === "STP LMT" && !isPrice(req.lmtPrice)) {
      return reject("A stop limit order needs a limit price.");
    }
    for (const price of [req.orderType === "MKT" ? undefined : req.lmtPrice, req.auxPrice]) {
      if (price !== undefined && Math.abs(price * 100 - Math.round(price * 100)) > 1e-6) {
        return {
          ok: false,
          code: 110,
          message: "The price does not conform to the minimum price variation for this contract.",
        };
      }
    }
    return undefined;
  }

  cancel(clientId: number, orderId: number): CancelResult {
    const order = this.findOrder(clientId, orderId);
    if (!order) {
      return {
        ok: false,
        code: 10147,
        message: `OrderId ${orderId} that needs to be cancelled is not found.`,
      };
    }
    if (!isLive(order) && order.status !== "Inactive") {
      return {
        ok: false,
        code: 10148,
        message: `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${order.status}.`,
      };
    }
    this.end(order, "cancelled");
    return { ok: true, order };
  }

  globalCancel(): SimOrder[] {
    const live = this.liveOrders();
    for (const order of live) if (isLive(order)) this.end(order, "global-cancel");
    return live;
  }

  /**
   * Fills `quantity` (default: all that remains) of a live order, at `price` or the order's own
   * price (limit, stop) or the touch. A partial fill leaves the order working.
   */
  fill(order: SimOrder, price?: number, quantity?: number): SimExecution {
    if (!isLive(order)) throw new Error(`order ${order.orderId} is ${order.status}, not live`);
    const remaining = order.totalQuantity - order.filled;
    const qty = quantity ?? remaining;
    if (!(qty > 0) || qty > remaining) {
      throw new Error(`order ${order.orderId} has ${remaining} left to fill; cannot fill ${qty}`);
    }
    const quote = this.market.quote(order.contract);
    const touch = order.action === "BUY" ? quote.ask : quote.bid;
    const fillPrice =
      price ??
      (order.orderType === "LMT" || order.orderType === "STP LMT"
        ? order.lmtPrice
        : order.orderType === "STP"
          ? order.auxPrice
          : touch) ??
      touch;
    return this.execute(order, fillPrice, qty);
  }

  /**
   * IB corrects an execution: the same execId up to its last period with the next suffix
   * (`.01.01` -> `.01.02`), the same quantity, the new price (default: the old one). The correction
   * replaces the original in the log; cash, the position's avgCost (for an opening execution) or the
   * realized P&L (for a closing one) and the order's average price follow the new price.
   */
  correctExecution(execId: string, price?: number): SimExecution {
    const index = this.executionLog.findIndex((e) => e.execId === execId);
    const old = this.executionLog[index];
    if (!old) throw new Error(`no execution ${execId} to correct (a corrected one has a new execId)`);
    const cut = execId.lastIndexOf(".");
    const suffix = Number.parseInt(execId.slice(cut + 1), 10) + 1;
    const newId = `${execId.slice(0, cut)}.${String(suffix).padStart(2, "0")}`;
    const newPrice = price ?? old.price;
    const delta = newPrice - old.price;
    const signed = old.side === "BOT" ? old.shares : -old.shares;
    const money = signed * delta * old.contract.multiplier;
    this.addCash(old.account, -money);
    const order = this.findOrder(old.clientId, old.orderId);
    let avgPrice = old.avgPrice;
    if (order && order.filled > 0) {
      order.avgFillPrice = roundPrice(order.avgFillPrice + (delta * old.shares) / order.filled);
      if (order.lastFillPrice === old.price) order.lastFillPrice = newPrice;
      avgPrice = roundPrice(old.avgPrice + (delta * old.shares) / old.cumQty);
    }
    const corrected: SimExecution = {
      ...old,
      execId: newId,
      price: newPrice,
      avgPrice,
      realizedPNL: old.realizedPNL === undefined ? undefined : roundCents(old.realizedPNL - money),
    };
    this.executionLog[index] = corrected;
    const position = this.positionBook.get(posKey(old.account, old.contract.conId));
    if (old.realizedPNL === undefined && position && Math.sign(position.pos) === Math.sign(signed)) {
      position.avgCost += (old.shares * delta * old.contract.multiplier) / Math.abs(position.pos);
    }
    this.emit("execution", corrected);
    if (position) this.emit("position", position);
    return corrected;
  }

  /**
   * The end of an option's life without a trade: expiry out of the money drops the position
   * and its working orders; assignment (at expiry in the money, or early) also delivers
   * 100 shares per contract at the strike. No execution is reported for either.
   */
  settleOption(
    conId: number,
    assign: boolean,
    stock: SimContract,
  ): { option: SimPosition; shares?: SimPosition } {
    const held = this.positions().filter(
      (p) => p.contract.conId === conId && p.pos !== 0 && p.contract.secType === "OPT",
    );
    if (held.length === 0) throw new Error(`the account holds no option with conId ${conId}`);
    // At expiry the contract ceases to exist and its orders with it; an early assignment leaves
    // working orders on the option live (a BUY there would now open a long), as IB does.
    const early = assign && eastern(this.market.now()).ymd < (held[0]?.contract.expiry ?? "");
    if (!early)
      for (const order of this.liveOrders()) if (order.contract.conId === conId) this.end(order, "expired");
    let result: { option: SimPosition; shares?: SimPosition } | undefined;
    for (const option of held) {
      const contracts = option.pos;
      option.pos = 0;
      option.avgCost = 0;
      this.positionBook.delete(posKey(option.account, conId));
      this.emit("position", option);
      if (!assign) {
        result ??= { option };
        continue;
      }
      // A short put assigned buys the shares; a short call sells them.
      const shares = (option.contract.right === "P" ? -contracts : contracts) * option.contract.multiplier;
      const stockPos = this.position(option.account, stock);
      const total = stockPos.pos + shares;
      stockPos.avgCost =
        total === 0 ? 0 : (stockPos.avgCost * stockPos.pos + option.contract.strike * shares) / total;
      stockPos.pos = total;
      this.addCash(option.account, -shares * option.contract.strike);
      this.emit("position", stockPos);
      result ??= { option, shares: stockPos };
    }
    return result as { option: SimPosition; shares?: SimPosition };
  }

  /**
   * Fills whatever the current quotes make fillable. Stop orders trigger as IB's triggerMethod says
   * (see stopTouched): a quote observation is a price update (`"tick"`, from setPrice) or, for a
   * just-placed or modified order, the quote it arrives at (`observe` = that order). A triggered STP
   * executes at the touch; a triggered STP LMT works as a limit at lmtPrice.
   */
  evaluate(observe?: "tick" | SimOrder): void {
    if (!this.autoFill) return;
    for (const order of this.orders()) {
      if (!isLive(order) || order.held) continue;
      const quote = this.market.quote(order.contract);
      const buy = order.action === "BUY";
      const touch = buy ? quote.ask : quote.bid;
      const limit = order.lmtPrice ?? Number.NaN;
      if (isStop(order.orderType) && !order.triggered) {
        if (observe !== "tick" && observe !== order) continue;
        const touched = stopTouched(order, quote);
        order.triggerHits = touched ? (order.triggerHits ?? 0) + 1 : 0;
        if (order.triggerHits < requiredHits(order)) continue;
        order.triggered = true;
        order.status = "Submitted";
        this.emit("order", order, "triggered");
      }
      const marketable = buy ? touch <= limit : touch >= limit;
      const fillable =
        order.orderType === "MKT" ||
        order.orderType === "STP" ||
        ((order.orderType === "LMT" || order.orderType === "STP LMT") && marketable);
      if (fillable && touch > 0) this.execute(order, touch, order.totalQuantity - order.filled);
    }
  }

  private execute(order: SimOrder, price: number, qty: number): SimExecution {
    const commission = commissionFor(order.contract, qty);
    const signed = order.action === "BUY" ? qty : -qty;
    const position = this.position(order.account, order.contract);
    const realizedPNL = bookFill(position, signed, price, commission);
    this.addCash(order.account, -(signed * price * order.contract.multiplier + commission));
    const filled = order.filled + qty;
    const avgFillPrice = roundPrice((order.avgFillPrice * order.filled + price * qty) / filled);
    const complete = filled >= order.totalQuantity;
    Object.assign(order, { filled, avgFillPrice, lastFillPrice: price });
    if (complete) {
      Object.assign(order, { status: "Filled", endReason: "filled" });
      this.complete(order, "Filled");
    } else order.status = "Submitted";
    const execution: SimExecution = {
      execId: `${EXEC_PREFIX}.${(0x67890abc + this.execSeq++).toString(16).padStart(8, "0")}.01.01`,
      orderId: order.orderId,
      clientId: order.clientId,
      permId: order.permId,
      account: order.account,
      contract: order.contract,
      side: order.action === "BUY" ? "BOT" : "SLD",
      shares: qty,
      price,
      cumQty: filled,
      avgPrice: avgFillPrice,
      time: this.market.now().toISOString(),
      orderRef: order.orderRef,
      commission,
      realizedPNL,
    };
    this.executionLog.push(execution);
    this.emit("order", order, "filled");
    this.emit("execution", execution);
    this.emit("position", position);
    this.settleSiblings(order, qty);
    if (complete) {
      for (const child of this.children(order)) {
        if (isLive(child) && this.refreshHold(child)) this.emit("order", child, "activated");
      }
    }
    this.evaluate();
    return execution;
  }

  /**
   * OCA after a fill of `qty`: ocaType 1 (and 0, unset) cancels every live sibling, even on a
   * partial fill; 2 and 3 reduce each sibling by the filled quantity, cancelling one reduced to
   * nothing. Bracket children reduce each other (IB makes them an OCA group that reduces).
   */
  private settleSiblings(order: SimOrder, qty: number): void {
    for (const other of this.liveOrders()) {
      if (other === order) continue;
      const sameOca =
        order.ocaGroup !== "" && other.ocaGroup === order.ocaGroup && other.account === order.account;
      const sameBracket =
        order.parentId !== 0 && other.parentId === order.parentId && other.clientId === order.clientId;
      if (!sameOca && !sameBracket) continue;
      const reduce = sameOca ? order.ocaType === 2 || order.ocaType === 3 : true;
      if (!reduce) {
        this.end(other, "oca");
        continue;
      }
      other.totalQuantity = Math.max(other.filled, other.totalQuantity - qty);
      if (other.totalQuantity - other.filled <= 0) this.end(other, "oca");
      else this.emit("order", other, "modified");
    }
  }

  private end(order: SimOrder, reason: string): void {
    order.status = "Cancelled";
    order.endReason = reason;
    this.complete(order, COMPLETED_STATUS[reason] ?? "Cancelled by System");
    this.emit("order", order, "cancelled");
    for (const child of this.children(order)) if (isLive(child)) this.end(child, "parent-cancelled");
  }

  private complete(order: SimOrder, status: string): void {
    order.completedTime = this.market.now().toISOString();
    order.completedStatus = status;
    this.completedLog.push(order);
  }

  /** Orders that ended (filled or cancelled, any day of the simulator's life), in the order they ended. */
  completedOrders(): SimOrder[] {
    return [...this.completedLog];
  }

  private children(parent: SimOrder): SimOrder[] {
    return this.orders().filter((o) => o.parentId === parent.orderId && o.clientId === parent.clientId);
  }

  /** A transmit=true child releases its parent and siblings that were placed with transmit=false. */
  private transmitBracket(clientId: number, parentId: number): void {
    const parent = this.findOrder(clientId, parentId);
    if (!parent) return;
    for (const order of [parent, ...this.children(parent)]) {
      if (!isLive(order) || order.transmit) continue;
      order.transmit = true;
      if (this.refreshHold(order)) this.emit("order", order, "activated");
    }
  }

  /** Recomputes held/status; returns true when the order became working. */
  private refreshHold(order: SimOrder): boolean {
    const parent = order.parentId ? this.findOrder(order.clientId, order.parentId) : undefined;
    const wasHeld = order.held;
    order.held = !order.transmit || (parent !== undefined && parent.status !== "Filled");
    const untriggered = isStop(order.orderType) && !order.triggered;
    order.status = order.held || untriggered ? "PreSubmitted" : "Submitted";
    return wasHeld && !order.held;
  }
}

function isStop(type: OrderType): boolean {
  return type === "STP" || type === "STP LMT";
}

/** IB's trigger methods: 0 default, 1 double bid/ask, 2 last, 3 double last, 4 bid/ask, 7 last or bid/ask, 8 mid-point. */
export const TRIGGER_METHODS = [0, 1, 2, 3, 4, 7, 8] as const;

/**
 * Whether this quote touches the stop for the order's trigger method. Default (0): bid/ask for
 * options (IB: "double bid/ask" for OTC and US options), last for stock. A BUY stop looks at the
 * ask (mid, last) at or above the stop, a SELL stop at the bid (mid, last) at or below it.
 */
function stopTouched(order: SimOrder, q: Quote): boolean {
  const stop = order.auxPrice ?? Number.NaN;
  const buy = order.action === "BUY";
  const through = (price: number) => (buy ? price >= stop : price <= stop);
  const side = buy ? q.ask : q.bid;
  const method = order.triggerMethod ?? 0;
  const byBidAsk = method === 1 || method === 4 || (method === 0 && order.contract.secType === "OPT");
  switch (true) {
    case method === 8:
      return through(roundPrice((q.bid + q.ask) / 2));
    case method === 7:
      return through(side) || through(q.last);
    case byBidAsk:
      return through(side);
    default:
      return through(q.last);
  }
}

/** Double methods need two consecutive touching quotes; the others one. */
function requiredHits(order: SimOrder): number {
  const method = order.triggerMethod ?? 0;
  return method === 0 || method === 1 || method === 3 ? 2 : 1;
}

/** completedStatus by why an order ended (the simulator's wording; IB's varies by build). */
const COMPLETED_STATUS: Record<string, string> = {
  cancelled: "Cancelled by Trader",
  "global-cancel": "Cancelled by Trader",
  oca: "Cancelled by System: OCA group",
  "parent-cancelled": "Cancelled by System: parent cancelled",
  expired: "Cancelled by System: option expired",
  rejected: "Rejected",
};

function posKey(account: string, conId: number): string {
  return `${account}|${conId}`;
}

function key(clientId: number, orderId: number): string {
  return `${clientId}:${orderId}`;
}

function roundPrice(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function isPrice(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}
