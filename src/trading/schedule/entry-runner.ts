import type { ConnectionFacts } from "./entry-rules.js";

/** Places the strategy's entry; implemented by the entry service. */
export interface EntryRunner {
  /** Throws (preferably an EntryRunError) with a message for people when nothing could be placed. */
  placeScheduledEntry(tradingDay: string, actor: string): Promise<{ orderRef: string }>;
  /** A dry run (contract choice, prices, buying power) before the day's entry: the problems found, or []. */
  preflight?(tradingDay: string): Promise<string[]>;
  /**
   * What the last pre-flight learnt about market data, in words: the type in force, missing
   * subscriptions, whether a delta could be had and how. `notable` when it is not all live.
   */
  marketDataReport?(): { lines: string[]; notable: boolean };
}

/** What an EntryRunner throws. */
export class EntryRunError extends Error {
  /**
   * True when the gateway was unreachable and no order reached the broker: the day then counts as
   * missed (a catch-up may be offered) rather than failed (never retried on its own).
   */
  readonly gatewayDown: boolean;

  constructor(message: string, options: { gatewayDown?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "EntryRunError";
    this.gatewayDown = options.gatewayDown ?? false;
  }
}

/** The connection as the schedule sees it; ConnectionSupervisor satisfies it. */
export interface ConnectionView {
  readonly current: ConnectionFacts;
  /** "synced": a connect's first full refresh is done. "state": any change of the connection's state. */
  on(event: "synced" | "state", listener: () => void): unknown;
  off(event: "synced" | "state", listener: () => void): unknown;
}
