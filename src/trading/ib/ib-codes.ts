/**
 * What an IB message code means for the connection. IB sends these with id -1 on
 * the `info` event (1100, 2104, 326, ...) or tied to a request on `error`.
 */
export type Farm = "market data" | "historical data" | "security definition";

export type CodeMeaning =
  | { kind: "connectivity-lost" }
  | { kind: "connectivity-restored"; dataLost: boolean }
  | { kind: "farm-broken"; farm: Farm; name: string }
  | { kind: "farm-ok"; farm: Farm; name: string }
  | { kind: "client-id-in-use" }
  | { kind: "competing-session" }
  | { kind: "not-connected" }
  | { kind: "socket-port-reset" }
  | { kind: "order-rejected" }
  | { kind: "order-cancelled" }
  | { kind: "other" };

const FARMS: Record<number, { farm: Farm; ok: boolean }> = {
  2103: { farm: "market data", ok: false },
  2104: { farm: "market data", ok: true },
  2105: { farm: "historical data", ok: false },
  2106: { farm: "historical data", ok: true },
  2157: { farm: "security definition", ok: false },
  2158: { farm: "security definition", ok: true },
};

export function classifyIbCode(code: number, message: string): CodeMeaning {
  switch (code) {
    case 1100:
    case 2110:
      return { kind: "connectivity-lost" };
    case 1101:
      return { kind: "connectivity-restored", dataLost: true };
    case 1102:
      return { kind: "connectivity-restored", dataLost: false };
    case 1300:
      return { kind: "socket-port-reset" };
    case 326:
      return { kind: "client-id-in-use" };
    case 10197:
      return { kind: "competing-session" };
    case 162:
      return /different ip|competing|trading tws session/i.test(message)
        ? { kind: "competing-session" }
        : { kind: "other" };
    case 502:
    case 504:
      return { kind: "not-connected" };
    case 201:
      return { kind: "order-rejected" };
    case 202:
      return { kind: "order-cancelled" };
  }
  const farm = FARMS[code];
  if (farm) {
    const name = /:\s*([\w.-]+)\s*$/.exec(message)?.[1] ?? "";
    return { kind: farm.ok ? "farm-ok" : "farm-broken", farm: farm.farm, name };
  }
  return { kind: "other" };
}

export const COMPETING_SESSION_ADVICE =
  "Another login with the same IBKR username (TWS, the web portal or the mobile app) has taken the session from the gateway. " +
  "Log out there, or give the gateway its own second IBKR username so this cannot happen again.";

/** What an IB code on a market-data request means for that request. */
export type MarketDataCode =
  /** Data still follows (default ticks, delayed ticks, or a farm notice): never fails a request. */
  | { kind: "advisory"; note: "partly-subscribed" | "delayed" | "notice" }
  /** No data will come for this request: fails it, with the fix in words. */
  | { kind: "fatal"; reason: "not-subscribed" | "competing-session"; fix: string }
  | { kind: "other" };

export const SUBSCRIPTION_FIX =
  "The IBKR account has no live market data for these options: subscribe to OPRA (US options) in Client Portal " +
  "(Settings > Market Data Subscriptions; paper accounts share the live account's subscriptions), " +
  "or set MARKET_DATA_TYPE=delayed to trade on 15-minute delayed quotes.";

/** By meaning, not by id: IB adds codes over the years, and most of them are notices. */
export function classifyMarketDataCode(code: number): MarketDataCode {
  switch (code) {
    case 10090:
    case 10091:
      return { kind: "advisory", note: "partly-subscribed" };
    case 10167:
      return { kind: "advisory", note: "delayed" };
    case 354:
      return { kind: "fatal", reason: "not-subscribed", fix: SUBSCRIPTION_FIX };
    case 10089:
      return {
        kind: "fatal",
        reason: "not-subscribed",
        fix: `This data needs an additional subscription (IB's message names it). ${SUBSCRIPTION_FIX}`,
      };
    case 10168:
      return {
        kind: "fatal",
        reason: "not-subscribed",
        fix: `Live data is not subscribed and delayed data is not enabled for the API. ${SUBSCRIPTION_FIX}`,
      };
    case 10197:
      return {
        kind: "fatal",
        reason: "competing-session",
        fix: `TWS is logged in elsewhere. ${COMPETING_SESSION_ADVICE}`,
      };
  }
  if (code >= 2100 && code <= 2199) return { kind: "advisory", note: "notice" };
  return { kind: "other" };
}
