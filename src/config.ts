import { validate as isValidCron } from "node-cron";
import { z } from "zod";

export { readEnvFile } from "./env-file.js";

export type TradingMode = "demo" | "paper" | "live";
export type ChatKind = "console" | "discord";
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface Config {
  mode: TradingMode;
  ib: {
    host: string;
    /** 0 in demo mode: the in-process simulator picks a free port. */
    port: number;
    clientId: number;
    /** Which managed account to trade when the login has several. */
    account?: string;
    handshakeTimeoutS: number;
    reconnectMaxS: number;
  };
  dbPath: string;
  chat: ChatKind;
  consoleJson: boolean;
  logLevel: LogLevel;
  /** Port 0 binds any free port. */
  health: { host: string; port: number };
  heartbeat: { intervalS: number; timeoutS: number };
  staleAfterS: number;
  /** Present exactly when chat is "discord". */
  discord?: DiscordConfig;
  strategy: StrategyConfig;
  entry: EntryConfig;
  approvalTtlS: number;
  reconcile: { everyS: number; autoReattach: boolean };
  marketData: MarketDataSettings;
}

export const MARKET_DATA_TYPES = ["live", "frozen", "delayed", "delayed-frozen"] as const;
export type MarketDataTypeName = (typeof MARKET_DATA_TYPES)[number];

export interface MarketDataSettings {
  /** What reqMarketDataType asks for first (MARKET_DATA_TYPE; default live). */
  type: MarketDataTypeName;
  /** Paper (and demo) with MARKET_DATA_TYPE unset: live data not permitted -> delayed, and say so. */
  fallbackToDelayed: boolean;
}

export interface DiscordConfig {
  token: string;
  appId: string;
  guildId: string;
  channelId: string;
  allowedUserIds: string[];
  allowedRoleId?: string;
  /** Base URL of the Discord API; only set for a local fake in tests. */
  apiUrl?: string;
  publicRead: boolean;
  alertRoleId?: string;
}

export interface StrategyConfig {
  symbol: string;
  right: "P" | "C";
  dteTarget: number;
  dteMin: number;
  dteMax: number;
  delta: number;
  quantity: number;
  /** A manual /entry above this many contracts asks for confirm:true before anything is requested. */
  quantityMax: number;
  /** TP buys back at this % of the entry credit. */
  tpPct: number;
  /** SL stops out at this % of the entry credit. */
  slPct: number;
  /** The stop-loss order: a plain stop (executes at market once triggered) or a stop-limit. */
  slOrder: "stp" | "stp-lmt";
  /** What triggers the stop (IB's triggerMethod). */
  slTrigger: StopTrigger;
  /** For a stop-limit: its limit as % of the stop price (the most it may pay). */
  slLimitPct: number;
}

export const STOP_TRIGGERS = [
  "mid-point",
  "double-bid-ask",
  "bid-ask",
  "last",
  "double-last",
  "default",
] as const;
export type StopTrigger = (typeof STOP_TRIGGERS)[number];

export interface EntryConfig {
  cron: string;
  timezone: string;
  /** HH:MM in `timezone`: no entry (scheduled or catch-up) after this. */
  windowEnd: string;
  repriceS: number;
  priceStep: number;
  /** The entry's limit never goes below this % of the option's mid price. */
  priceFloorPct: number;
  needsApproval: boolean;
}

export type LoadConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

// ---------------------------------------------------------------------------------------------
// One variable: how to read it, and how to tell the user what a good value looks like.

interface Rule<T> {
  /** Completes `"<raw>" is not ...`. */
  what: string;
  /** Completes `use ...`. */
  expected: string;
  example?: string;
  /** Never echo the value. */
  secret?: boolean;
  parse(raw: string): T | undefined;
}

interface FieldProblem {
  raw: string;
  rule: Rule<unknown>;
}

function optional<T>(rule: Rule<T>) {
  return z
    .string()
    .optional()
    .transform((value, ctx): T | undefined => {
      const raw = value?.trim();
      if (!raw) return undefined;
      const parsed = rule.parse(raw);
      if (parsed !== undefined) return parsed;
      const problem: FieldProblem = { raw, rule };
      ctx.addIssue({ code: "custom", message: "invalid", params: { problem } });
      return z.NEVER;
    });
}

function withDefault<T>(rule: Rule<T>, fallback: T) {
  return optional(rule).transform((value): T => value ?? fallback);
}

function listOr(values: readonly string[]): string {
  return values.length < 2 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
}

function oneOf<const T extends string>(values: readonly T[], what: string, example: T): Rule<T> {
  return {
    what,
    expected: listOr(values),
    example,
    parse: (raw) => values.find((v) => v.toLowerCase() === raw.toLowerCase()),
  };
}

function integer(min: number, max: number, what: string, example: string, expected?: string): Rule<number> {
  return {
    what,
    expected: expected ?? `an integer ${min}-${max}`,
    example,
    parse: (raw) => {
      if (!/^[+-]?\d+$/.test(raw)) return undefined;
      const n = Number(raw);
      return n >= min && n <= max ? n : undefined;
    },
  };
}

function decimal(
  accept: (n: number) => boolean,
  what: string,
  expected: string,
  example: string,
): Rule<number> {
  return {
    what,
    expected,
    example,
    parse: (raw) => {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw)) return undefined;
      const n = Number(raw);
      return accept(n) ? n : undefined;
    },
  };
}

const seconds = (example: string) =>
  decimal((n) => n > 0, "a positive number of seconds", "a number above 0", example);

const port = (min: number, example: string, expected?: string) =>
  integer(min, 65535, "a port number", example, expected);

const bool = (example: string): Rule<boolean> => ({
  what: "a yes/no value",
  expected: "1/0, true/false or yes/no",
  example,
  parse: (raw) => {
    const v = raw.toLowerCase();
    if (["1", "true", "yes"].includes(v)) return true;
    if (["0", "false", "no"].includes(v)) return false;
    return undefined;
  },
});

function matching(
  pattern: RegExp,
  what: string,
  expected: string,
  example: string,
  normalize = (raw: string) => raw,
): Rule<string> {
  return { what, expected, example, parse: (raw) => (pattern.test(raw) ? normalize(raw) : undefined) };
}

const upperCase = (raw: string) => raw.toUpperCase();

const SNOWFLAKE = /^\d{17,20}$/;
const snowflake = (example: string) =>
  matching(SNOWFLAKE, "a Discord id", "the 17-20 digit id (Developer Mode, then Copy ID)", example);

const snowflakeList: Rule<string[]> = {
  what: "a list of Discord user ids",
  expected: "17-20 digit ids separated by commas",
  example: "123456789012345678,234567890123456789",
  parse: (raw) => {
    const ids = raw
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    return ids.length > 0 && ids.every((id) => SNOWFLAKE.test(id)) ? [...new Set(ids)] : undefined;
  },
};

const host = (example: string) =>
  matching(/^[A-Za-z0-9._:[\]-]+$/, "a host name or IP address", "a name or address", example);

const discordToken: Rule<string> = {
  what: "a Discord bot token",
  expected:
    'the token from the Developer Portal (Bot, then Reset Token): three parts joined by dots, without quotes or a "Bot " prefix',
  secret: true,
  parse: (raw) => (/^[\w-]{10,}\.[\w-]{4,}\.[\w-]{10,}$/.test(raw) ? raw : undefined),
};

const httpUrl: Rule<string> = {
  what: "an http(s) URL",
  expected: "a full URL",
  example: "http://127.0.0.1:8090/api",
  parse: (raw) => {
    try {
      const url = new URL(raw);
      return url.protocol === "http:" || url.protocol === "https:" ? raw.replace(/\/+$/, "") : undefined;
    } catch {
      return undefined;
    }
  },
};

const cron: Rule<string> = {
  what: "a 5-field cron expression",
  expected: "minute hour day-of-month month day-of-week",
  example: '"35 9 * * 1-5"',
  parse: (raw) => (raw.split(/\s+/).length === 5 && isValidCron(raw) ? raw.replace(/\s+/g, " ") : undefined),
};

const timeZone: Rule<string> = {
  what: "a time zone",
  expected: "an IANA zone name",
  example: "America/New_York",
  parse: (raw) => {
    try {
      return new Intl.DateTimeFormat("en-US", { timeZone: raw }).resolvedOptions().timeZone;
    } catch {
      return undefined;
    }
  },
};

// ---------------------------------------------------------------------------------------------
// The environment. Defaults that depend on another variable (IB_PORT, CHAT, ENTRY_NEEDS_APPROVAL)
// stay undefined here and are resolved in toConfig.

const MODES = ["demo", "paper", "live"] as const;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const variables = {
  TRADING_MODE: withDefault(oneOf(MODES, "a trading mode", "paper"), "demo"),
  IB_HOST: withDefault(host("ib-gateway"), "127.0.0.1"),
  IB_PORT: optional(port(0, "4004", "an integer 1-65535")),
  IB_CLIENT_ID: withDefault(integer(0, 2147483647, "a client id", "7"), 7),
  IB_ACCOUNT: optional(
    matching(/^[A-Za-z0-9]{2,20}$/, "an IB account id", "letters and digits", "DU1234567", upperCase),
  ),
  DB_PATH: withDefault(
    matching(/[^/\\]$/, "a database file", "a file path, not a directory", "data/tradewarden.db"),
    "data/tradewarden.db",
  ),
  CHAT: optional(oneOf(["console", "discord"], "a chat adapter", "discord")),
  CONSOLE_JSON: withDefault(bool("true"), false),
  LOG_LEVEL: withDefault(oneOf(LOG_LEVELS, "a log level", "debug"), "info"),
  HEALTH_PORT: withDefault(port(0, "8080", "an integer 0-65535 (0 picks a free port)"), 8080),
  HEALTH_HOST: withDefault(host("0.0.0.0"), "127.0.0.1"),
  HEARTBEAT_S: withDefault(seconds("3"), 3),
  HEARTBEAT_TIMEOUT_S: withDefault(seconds("5"), 5),
  STALE_AFTER_S: withDefault(seconds("120"), 120),
  HANDSHAKE_TIMEOUT_S: withDefault(seconds("5"), 5),
  RECONNECT_MAX_S: withDefault(seconds("60"), 60),

  DISCORD_TOKEN: optional(discordToken),
  DISCORD_APP_ID: optional(snowflake("123456789012345678")),
  DISCORD_GUILD_ID: optional(snowflake("123456789012345678")),
  DISCORD_CHANNEL_ID: optional(snowflake("123456789012345678")),
  DISCORD_ALLOWED_USER_IDS: optional(snowflakeList),
  DISCORD_ALLOWED_ROLE_ID: optional(snowflake("123456789012345678")),
  DISCORD_API_URL: optional(httpUrl),
  DISCORD_PUBLIC_READ: withDefault(bool("false"), false),
  DISCORD_ALERT_ROLE_ID: optional(snowflake("123456789012345678")),

  STRATEGY_SYMBOL: withDefault(
    matching(/^[A-Za-z][A-Za-z0-9.]{0,9}$/, "a ticker symbol", "the underlying's symbol", "SPY", upperCase),
    "SPY",
  ),
  STRATEGY_RIGHT: withDefault(oneOf(["P", "C"], "an option right", "P"), "P"),
  STRATEGY_DTE_TARGET: withDefault(integer(1, 730, "a number of days to expiry", "85"), 85),
  STRATEGY_DTE_MIN: withDefault(integer(1, 730, "a number of days to expiry", "70"), 70),
  STRATEGY_DTE_MAX: withDefault(integer(1, 730, "a number of days to expiry", "100"), 100),
  STRATEGY_DELTA: withDefault(
    decimal((n) => n > 0 && n < 1, "a delta", "a number between 0 and 1", "0.15"),
    0.15,
  ),
  STRATEGY_QUANTITY: withDefault(integer(1, 100, "a number of contracts", "1"), 1),
  STRATEGY_QUANTITY_MAX: withDefault(integer(1, 100, "a number of contracts", "5"), 5),
  STRATEGY_TP_PCT: withDefault(
    decimal((n) => n > 0 && n < 100, "a take-profit percentage", "a number between 0 and 100", "40"),
    40,
  ),
  STRATEGY_SL_PCT: withDefault(
    decimal((n) => n > 100 && n <= 10_000, "a stop-loss percentage", "a number above 100", "300"),
    300,
  ),
  STRATEGY_SL_ORDER: withDefault(oneOf(["stp", "stp-lmt"], "a stop-loss order type", "stp"), "stp"),
  STRATEGY_SL_TRIGGER: withDefault(oneOf(STOP_TRIGGERS, "a stop trigger", "mid-point"), "mid-point"),
  STRATEGY_SL_LIMIT_PCT: withDefault(
    decimal((n) => n >= 100 && n <= 1000, "a stop-limit percentage", "a number from 100 to 1000", "125"),
    125,
  ),
  ENTRY_CRON: withDefault(cron, "35 9 * * 1-5"),
  ENTRY_TIMEZONE: withDefault(timeZone, "America/New_York"),
  ENTRY_WINDOW_END: withDefault(
    matching(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day", "HH:MM (24-hour)", "15:30"),
    "15:30",
  ),
  ENTRY_REPRICE_S: withDefault(seconds("30"), 30),
  ENTRY_PRICE_STEP: withDefault(
    decimal(
      (n) => n > 0 && Math.abs(n * 100 - Math.round(n * 100)) < 1e-9,
      "a price step",
      "a positive multiple of 0.01 dollars",
      "0.05",
    ),
    0.05,
  ),
  ENTRY_PRICE_FLOOR_PCT: withDefault(
    decimal((n) => n > 0 && n <= 100, "a percentage of the mid price", "a number above 0, at most 100", "90"),
    90,
  ),
  ENTRY_NEEDS_APPROVAL: optional(bool("true")),
  APPROVAL_TTL_S: withDefault(seconds("900"), 900),
  RECONCILE_EVERY_S: withDefault(seconds("300"), 300),
  AUTO_REATTACH: withDefault(bool("false"), false),
  MARKET_DATA_TYPE: optional(oneOf(MARKET_DATA_TYPES, "a market data type", "delayed")),
};

export type EnvName = keyof typeof variables;
/** Every variable the bot reads, in .env.example order. */
export const ENV_NAMES = Object.keys(variables) as EnvName[];

type Env = z.output<z.ZodObject<typeof variables>>;
type Problem = { name: EnvName; line: string };

const PAPER_PORTS = [4002, 4004, 7497];
const LIVE_PORTS = [4001, 4003, 7496];

function portProblems(env: Env): Problem[] {
  const { TRADING_MODE: mode, IB_PORT: port } = env;
  if (mode === "demo" || port === undefined) return [];
  const hint =
    mode === "paper"
      ? "paper is 4004 (socat, from another container) or 4002 (same host only), e.g. IB_PORT=4004"
      : "live is 4003 (socat, from another container) or 4001 (same host only), e.g. IB_PORT=4003";
  if (port === 0) return [{ name: "IB_PORT", line: `IB_PORT: 0 only works in demo mode; ${hint}` }];
  const other = mode === "paper" ? LIVE_PORTS : PAPER_PORTS;
  if (!other.includes(port)) return [];
  const kind = mode === "paper" ? "live" : "paper";
  return [
    {
      name: "IB_PORT",
      line: `IB_PORT: ${port} is a ${kind}-trading port but TRADING_MODE=${mode}; ${hint}`,
    },
  ];
}

function dteProblems(env: Env): Problem[] {
  const { STRATEGY_DTE_MIN: min, STRATEGY_DTE_TARGET: target, STRATEGY_DTE_MAX: max } = env;
  if (min <= target && target <= max) return [];
  const name = min > target ? "STRATEGY_DTE_MIN" : "STRATEGY_DTE_MAX";
  return [
    {
      name,
      line:
        `${name}: need STRATEGY_DTE_MIN <= STRATEGY_DTE_TARGET <= STRATEGY_DTE_MAX, got ${min} <= ${target} <= ${max}; ` +
        "e.g. STRATEGY_DTE_MIN=70 STRATEGY_DTE_TARGET=85 STRATEGY_DTE_MAX=100",
    },
  ];
}

function quantityProblems(env: Env): Problem[] {
  const { STRATEGY_QUANTITY: quantity, STRATEGY_QUANTITY_MAX: max } = env;
  if (quantity <= max) return [];
  return [
    {
      name: "STRATEGY_QUANTITY_MAX",
      line: `STRATEGY_QUANTITY_MAX: ${max} is below STRATEGY_QUANTITY=${quantity}; raise STRATEGY_QUANTITY_MAX or lower STRATEGY_QUANTITY`,
    },
  ];
}

function heartbeatProblems(env: Env): Problem[] {
  const { HEARTBEAT_S: interval, HEARTBEAT_TIMEOUT_S: timeout, STALE_AFTER_S: stale } = env;
  if (interval + timeout < stale) return [];
  return [
    {
      name: "HEARTBEAT_TIMEOUT_S",
      line:
        `HEARTBEAT_TIMEOUT_S: HEARTBEAT_S (${interval}) + HEARTBEAT_TIMEOUT_S (${timeout}) must be below ` +
        `STALE_AFTER_S (${stale}), so a hung gateway is caught before the cache counts as stale; e.g. HEARTBEAT_TIMEOUT_S=5`,
    },
  ];
}

const DISCORD_REQUIRED = [
  ["DISCORD_TOKEN", "the bot token from the Developer Portal (Bot, then Reset Token)"],
  ["DISCORD_APP_ID", "the application id, e.g. DISCORD_APP_ID=123456789012345678"],
  ["DISCORD_GUILD_ID", "the server id, e.g. DISCORD_GUILD_ID=123456789012345678"],
  ["DISCORD_CHANNEL_ID", "the channel for alerts and approvals, e.g. DISCORD_CHANNEL_ID=123456789012345678"],
] as const;

function discordProblems(env: Env): Problem[] {
  if (resolveChat(env) !== "discord") return [];
  // A malformed value is already reported and holds zod's NEVER marker here, not undefined.
  const problems: Problem[] = DISCORD_REQUIRED.filter(([name]) => env[name] === undefined).map(
    ([name, what]) => ({ name, line: `${name}: is required when CHAT=discord; set ${what}` }),
  );
  if (env.DISCORD_ALLOWED_USER_IDS === undefined && env.DISCORD_ALLOWED_ROLE_ID === undefined) {
    problems.push({
      name: "DISCORD_ALLOWED_USER_IDS",
      line:
        "DISCORD_ALLOWED_USER_IDS: nobody may act on the bot; when CHAT=discord set DISCORD_ALLOWED_USER_IDS " +
        "(comma-separated user ids) or DISCORD_ALLOWED_ROLE_ID, e.g. DISCORD_ALLOWED_USER_IDS=123456789012345678",
    });
  }
  return problems;
}

/**
 * DISCORD_API_URL exists for a local fake Discord. The bot sends its token to that URL, so
 * outside demo mode only a loopback address is accepted.
 */
function apiUrlProblems(env: Env): Problem[] {
  const url = env.DISCORD_API_URL;
  if (url === undefined || env.TRADING_MODE === "demo") return [];
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host)) return [];
  return [
    {
      name: "DISCORD_API_URL",
      line:
        `DISCORD_API_URL: the bot would send its token to ${host}; with TRADING_MODE=${env.TRADING_MODE} ` +
        "only a loopback address (a local test Discord) is allowed; leave it unset to talk to Discord",
    },
  ];
}

function resolveChat(env: Env): ChatKind {
  // A malformed token still counts as set: the user meant to use Discord.
  return env.CHAT ?? (env.DISCORD_TOKEN !== undefined ? "discord" : "console");
}

/** Adds a cross-field check that runs only when the fields it reads were each valid. */
function crossCheck<S extends z.ZodType<Env>>(
  schema: S,
  fields: EnvName[],
  check: (env: Env) => Problem[],
): S {
  return schema.superRefine(
    (env, ctx) => {
      for (const p of check(env))
        ctx.addIssue({ code: "custom", path: [p.name], message: p.line, params: { line: p.line } });
    },
    { when: (payload) => !payload.issues.some((issue) => fields.includes(issue.path?.[0] as EnvName)) },
  );
}

let envSchema: z.ZodType<Env> = z.object(variables);
envSchema = crossCheck(envSchema, ["TRADING_MODE", "IB_PORT"], portProblems);
envSchema = crossCheck(
  envSchema,
  ["STRATEGY_DTE_MIN", "STRATEGY_DTE_TARGET", "STRATEGY_DTE_MAX"],
  dteProblems,
);
envSchema = crossCheck(envSchema, ["STRATEGY_QUANTITY", "STRATEGY_QUANTITY_MAX"], quantityProblems);
envSchema = crossCheck(envSchema, ["HEARTBEAT_S", "HEARTBEAT_TIMEOUT_S", "STALE_AFTER_S"], heartbeatProblems);
envSchema = crossCheck(envSchema, ["CHAT"], discordProblems);
envSchema = crossCheck(envSchema, ["TRADING_MODE", "DISCORD_API_URL"], apiUrlProblems);

const DEFAULT_PORTS: Record<TradingMode, number> = { demo: 0, paper: 4004, live: 4003 };

function toConfig(env: Env): Config {
  const mode = env.TRADING_MODE;
  const chat = resolveChat(env);
  return {
    mode,
    ib: {
      host: env.IB_HOST,
      port: env.IB_PORT ?? DEFAULT_PORTS[mode],
      clientId: env.IB_CLIENT_ID,
      account: env.IB_ACCOUNT,
      handshakeTimeoutS: env.HANDSHAKE_TIMEOUT_S,
      reconnectMaxS: env.RECONNECT_MAX_S,
    },
    dbPath: env.DB_PATH,
    chat,
    consoleJson: env.CONSOLE_JSON,
    logLevel: env.LOG_LEVEL,
    health: { host: env.HEALTH_HOST, port: env.HEALTH_PORT },
    heartbeat: { intervalS: env.HEARTBEAT_S, timeoutS: env.HEARTBEAT_TIMEOUT_S },
    staleAfterS: env.STALE_AFTER_S,
    discord:
      chat === "discord"
        ? {
            // The cross-field check guarantees these are set when chat is discord.
            token: env.DISCORD_TOKEN!,
            appId: env.DISCORD_APP_ID!,
            guildId: env.DISCORD_GUILD_ID!,
            channelId: env.DISCORD_CHANNEL_ID!,
            allowedUserIds: env.DISCORD_ALLOWED_USER_IDS ?? [],
            allowedRoleId: env.DISCORD_ALLOWED_ROLE_ID,
            apiUrl: env.DISCORD_API_URL,
            publicRead: env.DISCORD_PUBLIC_READ,
            alertRoleId: env.DISCORD_ALERT_ROLE_ID,
          }
        : undefined,
    strategy: {
      symbol: env.STRATEGY_SYMBOL,
      right: env.STRATEGY_RIGHT,
      dteTarget: env.STRATEGY_DTE_TARGET,
      dteMin: env.STRATEGY_DTE_MIN,
      dteMax: env.STRATEGY_DTE_MAX,
      delta: env.STRATEGY_DELTA,
      quantity: env.STRATEGY_QUANTITY,
      quantityMax: env.STRATEGY_QUANTITY_MAX,
      tpPct: env.STRATEGY_TP_PCT,
      slPct: env.STRATEGY_SL_PCT,
      slOrder: env.STRATEGY_SL_ORDER,
      slTrigger: env.STRATEGY_SL_TRIGGER,
      slLimitPct: env.STRATEGY_SL_LIMIT_PCT,
    },
    entry: {
      cron: env.ENTRY_CRON,
      timezone: env.ENTRY_TIMEZONE,
      windowEnd: env.ENTRY_WINDOW_END,
      repriceS: env.ENTRY_REPRICE_S,
      priceStep: env.ENTRY_PRICE_STEP,
      priceFloorPct: env.ENTRY_PRICE_FLOOR_PCT,
      needsApproval: env.ENTRY_NEEDS_APPROVAL ?? mode === "live",
    },
    approvalTtlS: env.APPROVAL_TTL_S,
    reconcile: { everyS: env.RECONCILE_EVERY_S, autoReattach: env.AUTO_REATTACH },
    marketData: {
      type: env.MARKET_DATA_TYPE ?? "live",
      // Live mode never trades on delayed data unless MARKET_DATA_TYPE says so.
      fallbackToDelayed: env.MARKET_DATA_TYPE === undefined && mode !== "live",
    },
  };
}

function problemLine(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0] ?? "environment");
  const params = (issue as { params?: { line?: string; problem?: FieldProblem } }).params;
  if (params?.line) return params.line;
  const problem = params?.problem;
  if (!problem) return `${name}: ${issue.message}`;
  const { raw, rule } = problem;
  if (rule.secret) return `${name}: is set but malformed; use ${rule.expected}`;
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  const example = rule.example ? `, e.g. ${name}=${rule.example}` : "";
  return `${name}: ${JSON.stringify(shown)} is not ${rule.what}; use ${rule.expected}${example}`;
}

/** Reads the configuration from the environment. Empty values count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): LoadConfigResult {
  const result = envSchema.safeParse(env);
  if (!result.success) return { ok: false, problems: result.error.issues.map(problemLine) };
  return { ok: true, config: toConfig(result.data) };
}

/** The configuration without secrets, for the startup log line. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    discord: config.discord && { ...config.discord, token: "[set]" },
  };
}
