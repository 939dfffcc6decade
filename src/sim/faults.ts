/** Fault injection: what can go wrong between the bot and IB, as data. */
import { z } from "zod";

const FARMS = {
  market: { broken: 2103, ok: 2104, text: "Market data farm connection is", name: "usfarm" },
  hmds: { broken: 2105, ok: 2106, text: "HMDS data farm connection is", name: "ushmds" },
  secdef: { broken: 2157, ok: 2158, text: "Sec-def data farm connection is", name: "secdefnj" },
} as const;

export type Farm = keyof typeof FARMS;
export const ALL_FARMS = Object.keys(FARMS) as Farm[];

/**
 * What a current build sends right after nextValidId, besides the three farms' states: the other
 * market-data farms, the farms that sleep until asked (2107/2108) and one still connecting (2119).
 */
export const CONNECT_NOTICES: ReadonlyArray<{ code: number; message: string; farm?: Farm }> = [
  { code: 2104, message: "Market data farm connection is OK:usfarmnj", farm: "market" },
  { code: 2104, message: "Market data farm connection is OK:usopt", farm: "market" },
  { code: 2119, message: "Market data farm is connecting:usfuture" },
  {
    code: 2108,
    message: "Market data farm connection is inactive but should be available upon demand.cashfarm",
  },
  { code: 2107, message: "HMDS data farm connection is inactive but should be available upon demand.euhmds" },
];

/** IB's farm status line, e.g. 2103 "Market data farm connection is broken:usfarm". */
export function farmMessage(farm: Farm, ok: boolean): { code: number; message: string } {
  const f = FARMS[farm];
  return { code: ok ? f.ok : f.broken, message: `${f.text} ${ok ? "OK" : "broken"}:${f.name}` };
}
const farm = z.enum(["market", "hmds", "secdef"]).default("market");

export const STALL_TARGETS = ["positions", "orders", "account", "executions", "completed-orders"] as const;
export type StallTarget = (typeof STALL_TARGETS)[number];
/** "open-orders" is another name for "orders". */
const stallTarget = z
  .enum([...STALL_TARGETS, "open-orders"])
  .transform((t): StallTarget => (t === "open-orders" ? "orders" : t));
const stallTargets = z
  .union([stallTarget, z.array(stallTarget).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

export const faultSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("drop") }),
  z.object({ type: z.literal("hang") }),
  /** The gateway hangs when the next order arrives: that placeOrder is held, never acknowledged. */
  z.object({ type: z.literal("hang-at-next-order") }),
  z.object({ type: z.literal("silent") }),
  z.object({ type: z.literal("connectivity-lost") }),
  z.object({ type: z.literal("connectivity-restored"), dataLost: z.boolean().default(false) }),
  z.object({ type: z.literal("farm-broken"), farm }),
  z.object({ type: z.literal("farm-ok"), farm }),
  z.object({ type: z.literal("client-id-in-use") }),
  z.object({ type: z.literal("reject-next-order"), reason: z.string().min(1).optional() }),
  /** The next order is accepted as Inactive (201 with the reason, orderStatus Inactive) and never works. */
  z.object({ type: z.literal("inactive-next-order"), reason: z.string().min(1).optional() }),
  /** The next order gets this warning on its id (399 or 2109) and works normally. */
  z.object({
    type: z.literal("warn-next-order"),
    code: z.union([z.literal(399), z.literal(2109)]).default(399),
    message: z.string().min(1).optional(),
  }),
  z.object({ type: z.literal("duplicate-execution") }),
  z.object({ type: z.literal("malformed-frame") }),
  /** Those requests are ignored (never answered) until clear; `what` is one target or a list. */
  z.object({ type: z.literal("stall"), what: stallTargets }),
  z.object({ type: z.literal("competing-session") }),
  /**
   * Market-data requests get this code on their id until clear: an advisory (10090, 10091, 10167,
   * 2100-2199) is followed by the data as usual; any other code (354, 10089, 10168, ...) ends the request.
   */
  z.object({
    type: z.literal("market-data-code"),
    code: z.number().int().positive(),
    message: z.string().min(1).optional(),
  }),
  z.object({ type: z.literal("clear") }),
]);

/** What callers may pass: defaults (farm, dataLost) may be left out. */
export type FaultInput = z.input<typeof faultSchema>;
export type Fault = z.output<typeof faultSchema>;
export type FaultType = Fault["type"];

export const DEFAULT_REJECT_REASON =
  "YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [0 USD] MUST EXCEED THE INITIAL MARGIN (simulated rejection)";

/** Modes that last until `clear`. */
export interface FaultModes {
  hang: boolean;
  hangAtNextOrder: boolean;
  silent: boolean;
  connectivityLost: boolean;
  clientIdInUse: boolean;
  competingSession: boolean;
  marketDataCode?: { code: number; message: string };
  stall: StallTarget[];
  rejectNextOrder?: string;
  inactiveNextOrder?: string;
  warnNextOrder?: { code: number; message: string };
  brokenFarms: Farm[];
}

export function initialModes(): FaultModes {
  return {
    hang: false,
    hangAtNextOrder: false,
    silent: false,
    connectivityLost: false,
    clientIdInUse: false,
    competingSession: false,
    stall: [],
    brokenFarms: [],
  };
}

export const MESSAGES = {
  // Current builds (10.x) say IBKR, and name the farms that are back.
  lost: "Connectivity between IBKR and Trader Workstation has been lost.",
  restoredKept:
    "Connectivity between IBKR and Trader Workstation has been restored - data maintained. All data farms are connected: usfarmnj; usopt; usfarm; ushmds; secdefnj.",
  restoredLost:
    "Connectivity between IBKR and Trader Workstation has been restored - data lost. All data farms are connected: usfarmnj; usopt; usfarm; ushmds; secdefnj.",
  serverBroken:
    "Connectivity between Trader Workstation and server is broken. It will be restored automatically.",
  clientIdInUse: "Unable to connect as the client id is already in use. Retry with a unique client id.",
  competing: "No market data during competing live session",
  notSubscribed:
    "Requested market data is not subscribed. Check API status by selecting the Account menu then under Management choose Market Data Subscription Manager and/or check the Market Data Subscriptions link for the account.",
  delayedShown: "Requested market data is not subscribed. Displaying delayed market data.",
  partlySubscribed:
    "Part of requested market data is not subscribed. Subscription-independent ticks are still active.Delayed market data is available.SPY ARCA/TOP/ALL",
  noSecDef: "No security definition has been found for the request",
  cancelled: "Order Canceled - reason:",
  additionalPart:
    "Part of requested market data requires additional subscription for API. See link in 'Market Data Connections dialog' for more details.Delayed market data is available.SPY ARCA/TOP/ALL",
  additional:
    "Requested market data requires additional subscription for API. See link in 'Market Data Connections dialog' for more details.Delayed market data is available.SPY OPRA/TOP/ALL",
  delayedNotEnabled: "Requested market data is not subscribed. Delayed market data is not enabled.",
  inactive:
    "Order rejected - reason:The order is Inactive: it was accepted but will not be worked (simulated); cancel or modify it.",
  warn399:
    "Order Message:\nBUY 1 SPY OPTION\nWarning: your order will not be placed at the exchange until 09:30:00 US/Eastern",
  warn2109:
    "Order Event Warning: Attribute 'Outside Regular Trading Hours' is ignored based on the order type and destination. PlaceOrder is now being processed.",
} as const;

/** IB's words for the market-data codes the simulator can play (POST /fault market-data-code). */
export function marketDataCodeMessage(code: number): string {
  switch (code) {
    case 354:
      return MESSAGES.notSubscribed;
    case 10089:
      return MESSAGES.additional;
    case 10090:
      return MESSAGES.partlySubscribed;
    case 10091:
      return MESSAGES.additionalPart;
    case 10167:
      return MESSAGES.delayedShown;
    case 10168:
      return MESSAGES.delayedNotEnabled;
    case 10197:
      return MESSAGES.competing;
    default:
      return `Market data notice ${code} (simulated)`;
  }
}

/** Codes after which IB still sends the request's data. */
export function isAdvisoryCode(code: number): boolean {
  return code === 10090 || code === 10091 || code === 10167 || (code >= 2100 && code <= 2199);
}
