/** What request handlers see of the simulator. */
import type { Connection } from "./connection.js";
import type { ExecTimeFormat } from "./eastern.js";
import type { Exchange } from "./exchange.js";
import type { FaultModes } from "./faults.js";
import type { Market } from "./market.js";

/** The options market data the simulated account is entitled to. */
export const OPTIONS_DATA = ["live", "delayed", "none"] as const;
export type OptionsData = (typeof OPTIONS_DATA)[number];
export interface MarketDataModes {
  options: OptionsData;
  /** false: no option computation ticks at all (none + false: 10090, then the default ticks). */
  greeks: boolean;
}

/** The subset of a pino logger the simulator uses. */
export interface SimLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentSimLogger: SimLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface SimContext {
  readonly exchange: Exchange;
  readonly market: Market;
  readonly modes: FaultModes;
  readonly log: SimLogger;
  /** How execution times are written (see eastern.ts execTime). */
  readonly execTimeFormat: ExecTimeFormat;
  /** The newest server version this gateway answers a handshake with. */
  readonly serverVersion: number;
  readonly marketData: MarketDataModes;
  /** How long the next snapshot or first tick takes (0 = at once). */
  quoteDelayMs(): number;
  now(): Date;
  connections(): Connection[];
  /** The ready connection of a client id, if it is connected. */
  connectionOf(clientId: number): Connection | undefined;
}
