/** Quotes for SPY and its options, recomputed from the clock on every request. */
import {
  decodeOptionConId,
  listedExpirations,
  listedStrikes,
  SPY_CONID,
  SPY_STOCK,
  strikesForExpiry,
} from "./chain.js";
import { daysBetween, eastern, easternInstant } from "./eastern.js";
import { blackScholes, roundCents } from "./pricing.js";
import type { SimContract } from "./types.js";

export interface Quote {
  bid: number;
  ask: number;
  last: number;
  close: number;
  /** Mid of the model: what a stop is compared against, and the mark for account values. */
  mark: number;
  greeks?: { iv: number; delta: number; gamma: number; vega: number; theta: number; undPrice: number };
}

export interface MarketOptions {
  spot: number;
  vol: number;
  rate: number;
  now: () => Date;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export class Market {
  private spotPrice: number;
  private readonly previousClose: number;
  /** Every strike of any expiration (what reqSecDefOptParams answers); strikesFor(expiry) has one expiry's. */
  readonly strikes: number[];
  private readonly listingSpot: number;
  readonly vol: number;
  readonly rate: number;
  readonly now: () => Date;

  constructor(opts: MarketOptions) {
    this.spotPrice = opts.spot;
    this.previousClose = opts.spot;
    this.strikes = listedStrikes(opts.spot);
    this.listingSpot = opts.spot;
    this.vol = opts.vol;
    this.rate = opts.rate;
    this.now = opts.now;
  }

  get spot(): number {
    return this.spotPrice;
  }

  setSpot(price: number): void {
    if (!(price > 0)) throw new Error(`price must be positive, got ${price}`);
    this.spotPrice = price;
  }

  expirations(): string[] {
    return listedExpirations(this.now());
  }

  /** A listed contract by conId, or undefined (unknown, expired or unlisted strike). */
  byConId(conId: number): SimContract | undefined {
    if (conId === SPY_CONID) return SPY_STOCK;
    const option = decodeOptionConId(conId);
    if (!option || !this.isListed(option)) return undefined;
    return option;
  }

  /** The strikes listed for one expiration (far ones: $5 away from the money). */
  strikesFor(expiry: string): number[] {
    return strikesForExpiry(this.listingSpot, daysBetween(eastern(this.now()).ymd, expiry));
  }

  isListed(option: SimContract): boolean {
    return (
      this.expirations().includes(option.expiry) && this.strikesFor(option.expiry).includes(option.strike)
    );
  }

  quote(contract: SimContract): Quote {
    if (contract.secType === "STK") {
      const last = roundCents(this.spotPrice);
      return {
        bid: roundCents(last - 0.01),
        ask: roundCents(last + 0.01),
        last,
        close: this.previousClose,
        mark: last,
      };
    }
    const expiresAt = easternInstant(contract.expiry, 16);
    const years = Math.max(0, (expiresAt.getTime() - this.now().getTime()) / YEAR_MS);
    const right = contract.right === "C" ? "C" : "P";
    const model = blackScholes({
      spot: this.spotPrice,
      strike: contract.strike,
      years,
      vol: this.vol,
      rate: this.rate,
      right,
    });
    const closeModel = blackScholes({
      spot: this.previousClose,
      strike: contract.strike,
      years: years + 1 / 365,
      vol: this.vol,
      rate: this.rate,
      right,
    });
    const halfSpread = Math.max(0.01, model.price * 0.01);
    const bid = Math.max(0, roundCents(model.price - halfSpread));
    const ask = Math.max(bid + 0.01, roundCents(model.price + halfSpread));
    const mark = roundCents(model.price);
    return {
      bid,
      ask: roundCents(ask),
      last: mark,
      close: roundCents(closeModel.price),
      mark,
      greeks: {
        iv: this.vol,
        delta: model.delta,
        gamma: model.gamma,
        vega: model.vega,
        theta: model.theta,
        undPrice: this.spotPrice,
      },
    };
  }
}
