import type { Clock, TimerHandle } from "../../clock.js";
import type { Config } from "../../config.js";
import type { Logger } from "../../log.js";
import {
  type Db,
  DuplicateOrderRefError,
  type OrderRow,
  type OrderState,
  orders,
} from "../../store/index.js";
import type { AlertOutbox } from "../alert-outbox.js";
import type { BrokerContract } from "../broker.js";
import { dayNumber } from "../domain/calendar-days.js";
import { chooseExpiry, chooseStrike } from "../domain/contract-choice.js";
import { confirmReasons } from "../domain/entry-sanity.js";
import { exitPrices } from "../domain/exit-prices.js";
import { type LadderInput, ladderBounds, limitAt, stepDown } from "../domain/limit-ladder.js";
import { modelDelta } from "../domain/option-model.js";
import { entryRef, strategyName } from "../domain/order-refs.js";
import type { ConnectionSupervisor } from "../ib/connection-supervisor.js";
import {
  contractDetails,
  type DataSource,
  MarketDataError,
  type MarketDataType,
  optionChain,
  type Quote,
  setMarketDataType,
  snapshot,
} from "../ib/ib-market-data.js";
import type { IbSession } from "../ib/ib-session.js";
import { entryBlocker } from "../schedule/entry-rules.js";
import { EntryRunError, type EntryRunner } from "../schedule/entry-runner.js";
import { contractLabel } from "./contract-label.js";
import { type MarketHours, marketHours } from "./market-hours.js";
import { AckTimeoutError, NotConnectedError, type OrderDesk, ticketFor } from "./order-desk.js";

export interface EntryOverrides {
  strike?: number;
  /** YYYYMMDD */
  expiry?: string;
  quantity?: number;
  limit?: number;
  /** false: the limit stays where it is priced (no ladder). Any other override keeps the ladder. */
  ladder?: boolean;
  /** The trader's deliberate yes to an entry that needs it (see confirmReasons). */
  confirm?: boolean;
}

export interface EntryPreview {
  strategy: string;
  tradingDay: string;
  orderRef: string;
  contract: BrokerContract;
  label: string;
  dte: number;
  delta: number | null;
  bid: number;
  ask: number;
  mid: number;
  limit: number;
  floor: number;
  quantity: number;
  tp: number;
  sl: number;
  overridden: boolean;
  /** The limit set by the trader (limit:), not priced by the strategy. */
  limitSet: boolean;
  /**
   * Whether the limit will be stepped toward the bid: yes unless ladder:false, the limit is already
   * at the floor, or the market is closed (a resting order is not walked down before the open).
   */
  ladder: boolean;
  /** Why the ladder will not run, when it will not. */
  ladderOff: "ladder:false" | "at-floor" | "market-closed" | null;
  /** The price step and interval of the ladder, for the words that describe it. */
  step: number;
  repriceS: number;
  /** Regular trading hours now, by the broker's calendar. */
  market: MarketHours;
  /** Why this entry needs confirm:true before it is requested; empty when it does not. */
  needsConfirm: string[];
  confirmed: boolean;
  /** Live mode outside regular hours: a manual entry is refused, never left resting. */
  refusedClosed: boolean;
  /** Which ticks priced it: "delayed" is said on every preview and post that used them. */
  data: "live" | "delayed";
  /** Where the delta came from: IB's live or delayed greeks, or our model from the mid. */
  deltaFrom: DataSource | null;
  /** The market data type in force for this session (after any fallback). */
  dataType: MarketDataType;
  /** Why the data is not live, in words, when the bot chose delayed itself. */
  dataNote: string | null;
  /** IB's advisories on the chosen option's quote (10090: part of the data not subscribed, ...). */
  notices: number[];
}

/** Why no entry can be previewed, in words the trader can act on. */
export class EntryError extends Error {}

/** Entry orders in these states never worked at the broker (unless they filled first). */
const ENDED_UNFILLED = new Set<OrderState>(["cancelled", "rejected"]);

type Settings = Pick<Config, "strategy" | "entry"> & Partial<Pick<Config, "marketData" | "mode">>;

/** What the bot says when a paper account's missing live data made it switch to delayed quotes. */
export const FELL_BACK_NOTE =
  "live options data is not permitted on this account (no OPRA subscription): the bot switched to delayed quotes (15 minutes old)";

/**
 * Today's entry: picks the expiry (~85 days) and the strike (|delta| ~0.15) from the broker's
 * chain and snapshots, prices a SELL limit at mid, journals it under the day's orderRef (so
 * it can never be placed twice), transmits it and walks the limit toward the bid.
 */
export class EntryService implements EntryRunner {
  private reprice: TimerHandle | undefined;
  /** The journal id of the entry whose limit is being stepped down, if any. */
  private laddering: number | null = null;
  private contracts = new Map<string, { session: IbSession; byStrike: Map<number, BrokerContract> }>();
  /** The market data type asked for on each session, and why when the bot fell back to delayed. */
  private dataTypes = new WeakMap<IbSession, { type: MarketDataType; note: string | null }>();

  constructor(
    private readonly deps: {
      db: Db;
      supervisor: ConnectionSupervisor;
      desk: OrderDesk;
      outbox: AlertOutbox;
      clock: Clock;
      logger: Logger;
      settings: Settings;
    },
  ) {}

  get strategy(): string {
    const { symbol, right } = this.deps.settings.strategy;
    return strategyName(symbol, right);
  }

  /**
   * The ref for the day's next entry attempt. One entry a day: an attempt that is working, filled
   * (even partly), or of unknown fate stands, and no other is made. Only attempts that never
   * worked at the broker (rejected, or cancelled without a fill) leave room for another.
   */
  async nextEntryRef(tradingDay: string): Promise<string> {
    const { symbol, right } = this.deps.settings.strategy;
    const tried = await orders.entryOrdersForDay(this.deps.db, this.strategy, tradingDay);
    const standing = tried.find((o) => o.filled_qty > 0 || !ENDED_UNFILLED.has(o.state));
    if (standing) {
      throw new EntryError(`today's entry (${standing.order_ref}) was already placed; one entry per day`);
    }
    return entryRef(this.strategy, tradingDay, symbol, right, tried.length + 1);
  }

  async preview(tradingDay: string, overrides: EntryOverrides = {}): Promise<EntryPreview> {
    const session = this.session();
    const { strategy: s, entry } = this.deps.settings;
    this.dataTypeOf(session);
    const [stock] = await contractDetails(session, { symbol: s.symbol, secType: "STK" });
    if (!stock) throw new EntryError(`IB knows no stock ${s.symbol}`);
    const chain = await optionChain(session, s.symbol, stock.contract.conId);

    let expiry = overrides.expiry;
    let dte: number;
    if (expiry) {
      if (!chain.expirations.includes(expiry)) {
        throw new EntryError(
          `${s.symbol} has no expiry ${expiry}; listed near it: ${nearby(chain.expirations, expiry)}`,
        );
      }
      dte = daysBetween(tradingDay, expiry);
    } else {
      const choice = chooseExpiry(chain.expirations, tradingDay, s.dteTarget, s.dteMin, s.dteMax);
      if (!choice.ok)
        throw new EntryError(`no ${s.symbol} expiry between ${s.dteMin} and ${s.dteMax} days out`);
      expiry = choice.expiry;
      dte = choice.dte;
    }

    // The underlying's price and the expiry's own strikes (its contract details) are asked together.
    const [underlying, listed] = await Promise.all([
      this.quoteOf(session, stock.contract),
      this.optionContracts(session, expiry),
    ]);
    const spot = underlying.last ?? mid(underlying) ?? underlying.close;
    const strikes = [...listed.keys()].sort((a, b) => a - b);
    const priceAt = { spot, dte, right: s.right };
    let picked: { strike: number; quote: Quote };
    if (overrides.strike !== undefined) {
      if (!listed.has(overrides.strike)) {
        throw new EntryError(
          `${s.symbol} lists no strike ${overrides.strike} for ${expiry}; near it: ${nearbyStrikes(strikes, overrides.strike)}`,
        );
      }
      picked = {
        strike: overrides.strike,
        quote: await this.quote(session, expiry, overrides.strike, priceAt),
      };
    } else {
      if (!spot) throw new EntryError(`no price for ${s.symbol}: is market data available?`);
      picked = await this.pickStrike(session, expiry, strikes, spot, dte);
    }
    const { quote, strike } = picked;
    if (!(quote.bid && quote.ask && quote.ask > quote.bid)) {
      throw new EntryError(
        `no usable quote for ${s.symbol} ${strike}${s.right} ${expiry} (bid ${quote.bid}, ask ${quote.ask})`,
      );
    }
    const ladderInput: LadderInput = {
      bid: quote.bid,
      ask: quote.ask,
      step: entry.priceStep,
      floorPct: entry.priceFloorPct,
    };
    const bounds = ladderBounds(ladderInput);
    const limit = overrides.limit ?? limitAt(0, ladderInput);
    const quantity = overrides.quantity ?? s.quantity;
    const market = await marketHours(this.deps.db, tradingDay, this.deps.clock.now());
    const closed = market.known && !market.open;
    const ladderOff =
      overrides.ladder === false
        ? "ladder:false"
        : closed
          ? "market-closed"
          : limit <= bounds.floor
            ? "at-floor"
            : null;
    const exits = exitPrices(limit, s.tpPct, s.slPct);
    const contract = await this.optionContract(session, expiry, strike);
    const data = quote.prices === "delayed" ? "delayed" : "live";
    const dataType = this.dataTypeOf(session);
    if (data === "delayed" && this.deps.settings.mode === "live" && !dataType.type.startsWith("delayed")) {
      throw new EntryError(
        "IB sent delayed quotes; live mode never trades on delayed data (set MARKET_DATA_TYPE=delayed to allow it)",
      );
    }
    return {
      strategy: this.strategy,
      tradingDay,
      orderRef: await this.nextEntryRef(tradingDay),
      contract,
      label: contractLabel({ symbol: s.symbol, strike, right: s.right, expiry }),
      dte,
      delta: quote.delta ?? null,
      bid: quote.bid,
      ask: quote.ask,
      mid: bounds.mid,
      limit,
      floor: bounds.floor,
      quantity,
      tp: exits.tp,
      sl: exits.sl,
      overridden: [overrides.strike, overrides.expiry, overrides.quantity, overrides.limit].some(
        (v) => v !== undefined,
      ),
      limitSet: overrides.limit !== undefined,
      ladder: ladderOff === null,
      ladderOff,
      step: entry.priceStep,
      repriceS: entry.repriceS,
      market,
      needsConfirm: confirmReasons({ quantity, limit, mid: bounds.mid }, s.quantityMax ?? 5),
      confirmed: overrides.confirm === true,
      refusedClosed: closed && this.deps.settings.mode === "live",
      data,
      deltaFrom: quote.delta === undefined ? null : (quote.deltaFrom ?? "live"),
      dataType: dataType.type,
      dataNote: dataType.note,
      notices: quote.notices,
    };
  }

  /**
   * Journals and sends the day's entry. The orderRef names the day, so a second call for the
   * same day (a restart, a double click, the catch-up) fails with DuplicateOrderRefError.
   */
  async place(preview: EntryPreview): Promise<OrderRow> {
    const { outbox, desk, settings } = this.deps;
    const c = preview.contract;
    let row: OrderRow;
    try {
      row = await desk.submit({
        orderRef: preview.orderRef,
        intent: "entry",
        strategy: preview.strategy,
        tradingDay: preview.tradingDay,
        conId: c.conId,
        symbol: c.symbol,
        secType: "OPT",
        expiry: c.expiry ?? "",
        strike: c.strike ?? 0,
        right: settings.strategy.right,
        action: "SELL",
        orderType: "LMT",
        quantity: preview.quantity,
        limitPrice: preview.limit,
        tif: "DAY",
        // The ladder runs for overrides too (a trader's limit is where it starts) unless ladder:false.
        reprice: preview.ladder,
      });
    } catch (err) {
      if (err instanceof DuplicateOrderRefError) {
        throw new EntryError(`today's entry (${preview.orderRef}) was already placed; one entry per day`);
      }
      throw err;
    }
    if (row.state === "rejected")
      throw new EntryError(`IB rejected the entry: ${row.last_error ?? "no reason given"}`);
    await outbox.raise([
      {
        type: "entry-placed",
        orderRef: row.order_ref,
        contract: preview.label,
        limit: preview.limit,
        quantity: preview.quantity,
        tp: preview.tp,
        sl: preview.sl,
        delta: preview.delta,
        dte: preview.dte,
        data: preview.data,
        deltaFrom: preview.deltaFrom,
        dataNote: preview.dataNote,
      },
    ]);
    if (preview.ladder) this.startRepricing(row.id, preview.bid, preview.ask);
    return row;
  }

  /** Tells the channel about an entry the reconnect found at IB although its send had timed out. */
  async announceFound(orderRef: string): Promise<void> {
    const row = await orders.orderByRef(this.deps.db, orderRef);
    if (!row?.trading_day) return;
    await this.deps.outbox.raise([
      {
        type: "entry-placed",
        orderRef,
        contract: contractLabel(row),
        limit: row.limit_price ?? 0,
        quantity: row.quantity,
        ...exitPrices(
          row.limit_price ?? 0,
          this.deps.settings.strategy.tpPct,
          this.deps.settings.strategy.slPct,
        ),
        delta: null,
        dte: daysBetween(row.trading_day, row.expiry),
      },
    ]);
  }

  /** The schedule's entry: the strategy as configured, no overrides. */
  async placeScheduledEntry(tradingDay: string, _actor: string): Promise<{ orderRef: string }> {
    try {
      const row = await this.place(await this.preview(tradingDay));
      return { orderRef: row.order_ref };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // An unacknowledged entry counts as missed: the reconnect finds it at IB by its orderRef
      // (the run then counts as placed) or finds it never arrived (a catch-up may be offered).
      const gatewayDown = err instanceof NotConnectedError || err instanceof AckTimeoutError;
      throw new EntryRunError(message, { gatewayDown, cause: err });
    }
  }

  /** What the last pre-flight learnt about market data (see marketDataReport). */
  private report: { lines: string[]; notable: boolean } = { lines: [], notable: false };

  marketDataReport(): { lines: string[]; notable: boolean } {
    return this.report;
  }

  /** The 09:00 dry run: can today's contract be chosen and priced, and is there money for it? */
  async preflight(tradingDay: string): Promise<string[]> {
    const problems: string[] = [];
    this.report = { lines: [], notable: false };
    try {
      const p = await this.preview(tradingDay);
      this.report = marketDataLines(p);
      if (p.delta === null) problems.push(`no delta for ${p.label}: option computations are not arriving`);
      const buyingPower = Number(this.deps.supervisor.cache.account?.BuyingPower?.value);
      const margin = p.contract.strike ? p.contract.strike * 100 * 0.2 * p.quantity : 0;
      if (!Number.isFinite(buyingPower))
        problems.push("buying power unknown: the account summary is not arriving");
      else if (buyingPower < margin) {
        problems.push(
          `buying power ${buyingPower.toFixed(0)} USD is below the ~${margin.toFixed(0)} USD the entry needs`,
        );
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      problems.push(message);
      this.report = failedDataLines(err, this.deps.settings.marketData?.type ?? "live");
    }
    return problems;
  }

  /**
   * An entry working at IB with no ladder in this process (found after its acknowledgement timed
   * out, or after a restart): the ladder goes on from its limit, on a fresh quote. Only for an
   * entry the strategy priced: a limit the trader set stays.
   */
  async resumeRepricing(orderRef: string): Promise<void> {
    const row = await orders.orderByRef(this.deps.db, orderRef);
    if (row?.state !== "acknowledged" || !row.reprice || this.laddering === row.id) return;
    const quote = await snapshot(this.session(), ticketFor(row).contract);
    if (!(quote.bid && quote.ask && quote.ask > quote.bid)) {
      this.deps.logger.warn({ orderRef }, "no usable quote: the entry keeps its limit");
      return;
    }
    this.startRepricing(row.id, quote.bid, quote.ask);
  }

  /** Steps the working limit toward the bid every ENTRY_REPRICE_S, never below the floor. */
  private startRepricing(orderId: number, bid: number, ask: number): void {
    const { clock, settings, db, desk, logger } = this.deps;
    const input: LadderInput = {
      bid,
      ask,
      step: settings.entry.priceStep,
      floorPct: settings.entry.priceFloorPct,
    };
    const tick = async () => {
      const row = await orders.orderById(db, orderId);
      // A limit the trader changed in TWS (reprice cleared) is left where the trader put it.
      const price =
        row?.state === "acknowledged" && row.reprice ? stepDown(row.limit_price ?? Infinity, input) : null;
      if (!row || price === null) {
        this.laddering = null;
        return;
      }
      try {
        await desk.modifyLimit(row, price);
      } catch (err) {
        logger.warn({ err, orderRef: row.order_ref }, "could not re-price the entry");
      }
      this.reprice = clock.setTimeout(() => void tick(), settings.entry.repriceS * 1000);
    };
    clock.clearTimeout(this.reprice);
    this.laddering = orderId;
    this.reprice = clock.setTimeout(() => void tick(), settings.entry.repriceS * 1000);
  }

  stop(): void {
    this.deps.clock.clearTimeout(this.reprice);
    this.laddering = null;
  }

  private session(): IbSession {
    const s = this.deps.supervisor.activeSession;
    // A broken historical data farm leaves the entry all it needs; other degradations do not.
    if (!s || entryBlocker(this.deps.supervisor.current)) throw new NotConnectedError("the entry");
    return s;
  }

  private async optionContract(session: IbSession, expiry: string, strike: number): Promise<BrokerContract> {
    const contract = (await this.optionContracts(session, expiry)).get(strike);
    if (!contract) {
      const { symbol, right } = this.deps.settings.strategy;
      throw new EntryError(`IB knows no ${symbol} ${strike}${right} ${expiry}`);
    }
    return contract;
  }

  /** Every strike of one expiry in a single contract-details request, by strike. */
  private async optionContracts(session: IbSession, expiry: string): Promise<Map<number, BrokerContract>> {
    const { symbol, right } = this.deps.settings.strategy;
    const cached = this.contracts.get(expiry);
    if (cached && cached.session === session) return cached.byStrike;
    const rows = await contractDetails(session, { symbol, secType: "OPT", expiry, right, multiplier: 100 });
    const byStrike = new Map(rows.map((r) => [r.contract.strike ?? 0, r.contract]));
    this.contracts.set(expiry, { session, byStrike });
    return byStrike;
  }

  /**
   * The market data type asked for on this session (reqMarketDataType once per connection):
   * MARKET_DATA_TYPE, or delayed after a paper account's live data was refused.
   */
  private dataTypeOf(session: IbSession): { type: MarketDataType; note: string | null } {
    let current = this.dataTypes.get(session);
    if (!current) {
      current = { type: this.deps.settings.marketData?.type ?? "live", note: null };
      this.dataTypes.set(session, current);
      setMarketDataType(session, current.type);
    }
    return current;
  }

  /**
   * A snapshot under the session's data type. When live data is refused for want of a
   * subscription and the settings allow it (paper, MARKET_DATA_TYPE unset), the session switches
   * to delayed data once, says so, and asks again.
   */
  private async quoteOf(session: IbSession, contract: BrokerContract): Promise<Quote> {
    const asked = this.dataTypeOf(session);
    try {
      return await snapshot(session, contract);
    } catch (err) {
      if (!(err instanceof MarketDataError && err.reason === "not-subscribed")) throw err;
      // A request sent together with this one has already switched the session: ask again.
      if (this.dataTypeOf(session) !== asked) return snapshot(session, contract);
      const canFallBack =
        this.deps.settings.marketData?.fallbackToDelayed === true && !asked.type.startsWith("delayed");
      if (!canFallBack) throw err;
      this.dataTypes.set(session, { type: "delayed", note: FELL_BACK_NOTE });
      setMarketDataType(session, "delayed");
      this.deps.logger.warn({ code: err.code }, FELL_BACK_NOTE);
      return snapshot(session, contract);
    }
  }

  /** An option's quote; with no greeks from IB, the delta its mid implies (marked "model"). */
  private async quote(
    session: IbSession,
    expiry: string,
    strike: number,
    at: { spot: number | undefined; dte: number; right: "P" | "C" },
  ): Promise<Quote> {
    const q = await this.quoteOf(session, await this.optionContract(session, expiry, strike));
    const m = mid(q);
    const spot = q.underlying ?? at.spot;
    if (q.delta === undefined && m !== undefined && spot) {
      const model = modelDelta({ price: m, spot, strike, days: at.dte, right: at.right });
      if (model.ok) {
        q.delta = model.delta;
        q.iv = model.iv;
        q.deltaFrom = "model";
      }
    }
    return q;
  }

  /**
   * A coarse pass over the expiry's out-of-the-money strikes, then the strikes between the best
   * coarse one and its neighbour on the target's side. Each pass asks for its quotes at once (the
   * client paces them within IB's limit); a quote that fails skips its strike.
   */
  private async pickStrike(session: IbSession, expiry: string, strikes: number[], spot: number, dte: number) {
    const { delta, right } = this.deps.settings.strategy;
    const otm = strikes.filter((k) =>
      right === "P" ? k < spot && k > spot * 0.7 : k > spot && k < spot * 1.3,
    );
    if (otm.length === 0) throw new EntryError(`no out-of-the-money strikes near ${spot}`);
    const coarseStep = Math.max(1, Math.ceil(otm.length / 10));
    const quoted = new Map<number, Quote>();
    const failures: unknown[] = [];
    const at = { spot, dte, right };
    const quoteAll = async (ks: number[]) => {
      const todo = ks.filter((k) => !quoted.has(k));
      const results = await Promise.allSettled(todo.map((k) => this.quote(session, expiry, k, at)));
      for (const [i, r] of results.entries()) {
        if (r.status === "fulfilled") quoted.set(todo[i] as number, r.value);
        else failures.push(r.reason);
      }
    };
    await quoteAll(otm.filter((_, i) => i % coarseStep === 0));
    const rank = () =>
      chooseStrike(
        [...quoted].map(([strike, q]) => ({ strike, delta: q.delta, bid: q.bid, ask: q.ask })),
        delta,
        { right },
      );
    const noPick = (reason: string) => {
      // Every quote failed: IB's reason (e.g. a missing subscription, with its fix) is the news.
      const first = failures[0];
      if (quoted.size === 0 && first instanceof Error) return new EntryError(first.message);
      return new EntryError(`no strike with a usable quote and delta (${reason})`);
    };
    const coarse = rank();
    if (!coarse.ok) throw noPick(coarse.reason);
    const i = otm.indexOf(coarse.candidate.strike);
    // |delta| grows toward the money: for a put the higher strikes, for a call the lower ones.
    const towardMoney = right === "P" ? 1 : -1;
    const side = coarse.absDelta < delta ? towardMoney : -towardMoney;
    const from = side > 0 ? i + 1 : Math.max(0, i - coarseStep + 1);
    await quoteAll(otm.slice(from, side > 0 ? i + coarseStep : i));
    const fine = rank();
    if (!fine.ok) throw noPick(fine.reason);
    return { strike: fine.candidate.strike, quote: quoted.get(fine.candidate.strike) as Quote };
  }
}

function mid(q: Quote): number | undefined {
  return q.bid && q.ask ? (q.bid + q.ask) / 2 : undefined;
}

function daysBetween(day: string, expiry: string): number {
  return (dayNumber(expiry) ?? 0) - (dayNumber(day) ?? 0);
}

const TYPE_WORDS: Record<MarketDataType, string> = {
  live: "LIVE",
  frozen: "FROZEN (the last live quotes, for when the market is closed)",
  delayed: "DELAYED (about 15 minutes old)",
  "delayed-frozen": "DELAYED-FROZEN (the last delayed quotes)",
};

/** The pre-flight's words on market data, from a preview that worked. */
export function marketDataLines(p: EntryPreview): { lines: string[]; notable: boolean } {
  const inForce = p.data === "delayed" && !p.dataType.startsWith("delayed") ? "delayed" : p.dataType;
  const type = `Market data: ${TYPE_WORDS[inForce]}${p.dataNote ? `: ${p.dataNote}` : ""}.`;
  const missing: string[] = [];
  if (p.dataNote) missing.push("live US options quotes (OPRA)");
  if (p.notices.some((c) => c === 10090 || c === 10091))
    missing.push("part of the options data (IB 10090/10091)");
  if (p.deltaFrom === "model") missing.push("option greeks (IB sent no option computations)");
  const subs =
    missing.length === 0
      ? "Missing subscriptions: none found."
      : `Missing subscriptions: ${missing.join("; ")}. Subscribe in Client Portal > Settings > Market Data Subscriptions.`;
  const how: Record<DataSource, string> = {
    live: "from IB's live greeks",
    delayed: "from IB's DELAYED greeks",
    model: "computed by the bot from the option's mid (model: implied volatility, Black-Scholes)",
  };
  const delta =
    p.delta === null || p.deltaFrom === null
      ? `Delta: none could be had for ${p.label}.`
      : `Delta: ${Math.abs(p.delta).toFixed(2)} for ${p.label}, ${how[p.deltaFrom]}.`;
  return { lines: [type, subs, delta], notable: p.data !== "live" || p.deltaFrom !== "live" };
}

/** The pre-flight's words on market data when the dry run failed. */
function failedDataLines(err: unknown, type: MarketDataType): { lines: string[]; notable: boolean } {
  if (!(err instanceof EntryError || err instanceof MarketDataError)) return { lines: [], notable: false };
  const refused = /\((354|10089|10168|10197)\)/.exec(err.message)?.[1];
  if (!refused) return { lines: [], notable: false };
  return {
    lines: [
      `Market data: ${TYPE_WORDS[type]} asked for; IB refused the options quotes (${refused}).`,
      refused === "10197"
        ? "Missing subscriptions: none known; TWS is logged in elsewhere."
        : "Missing subscriptions: live US options quotes (OPRA), and no delayed data either.",
      "Delta: none could be had (no option quotes).",
    ],
    notable: true,
  };
}

function nearbyStrikes(strikes: number[], target: number): string {
  const sorted = [...strikes].sort((a, b) => Math.abs(a - target) - Math.abs(b - target));
  return sorted
    .slice(0, 3)
    .sort((a, b) => a - b)
    .join(", ");
}

function nearby(list: string[], target: string): string {
  const sorted = [...list].sort(
    (a, b) => Math.abs(Number(a) - Number(target)) - Math.abs(Number(b) - Number(target)),
  );
  return sorted.slice(0, 3).sort().join(", ");
}
