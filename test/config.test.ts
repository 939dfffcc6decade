import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Config,
  describeConfig,
  ENV_NAMES,
  type EnvName,
  loadConfig,
  readEnvFile,
} from "../src/config.js";
import { parseEnvText } from "../src/env-file.js";

const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB";

/** A complete, valid paper configuration talking on Discord. */
const FULL: Record<EnvName, string> = {
  TRADING_MODE: "paper",
  IB_HOST: "ib-gateway",
  IB_PORT: "4004",
  IB_CLIENT_ID: "7",
  IB_ACCOUNT: "DU1234567",
  DB_PATH: "/data/tradewarden.db",
  CHAT: "discord",
  CONSOLE_JSON: "false",
  LOG_LEVEL: "info",
  HEALTH_PORT: "8080",
  HEALTH_HOST: "0.0.0.0",
  HEARTBEAT_S: "5",
  HEARTBEAT_TIMEOUT_S: "5",
  STALE_AFTER_S: "120",
  HANDSHAKE_TIMEOUT_S: "5",
  RECONNECT_MAX_S: "60",
  DISCORD_TOKEN: TOKEN,
  DISCORD_APP_ID: "123456789012345678",
  DISCORD_GUILD_ID: "223456789012345678",
  DISCORD_CHANNEL_ID: "323456789012345678",
  DISCORD_ALLOWED_USER_IDS: "423456789012345678, 523456789012345678",
  DISCORD_ALLOWED_ROLE_ID: "623456789012345678",
  DISCORD_API_URL: "http://127.0.0.1:8090/api/",
  DISCORD_PUBLIC_READ: "no",
  DISCORD_ALERT_ROLE_ID: "723456789012345678",
  STRATEGY_SYMBOL: "spy",
  STRATEGY_RIGHT: "P",
  STRATEGY_DTE_TARGET: "85",
  STRATEGY_DTE_MIN: "70",
  STRATEGY_DTE_MAX: "100",
  STRATEGY_DELTA: "0.15",
  STRATEGY_QUANTITY: "1",
  STRATEGY_QUANTITY_MAX: "4",
  STRATEGY_TP_PCT: "40",
  STRATEGY_SL_PCT: "300",
  STRATEGY_SL_ORDER: "stp-lmt",
  STRATEGY_SL_TRIGGER: "double-bid-ask",
  STRATEGY_SL_LIMIT_PCT: "150",
  ENTRY_CRON: "35 9 * * 1-5",
  ENTRY_TIMEZONE: "America/New_York",
  ENTRY_WINDOW_END: "15:30",
  ENTRY_REPRICE_S: "30",
  ENTRY_PRICE_STEP: "0.05",
  ENTRY_PRICE_FLOOR_PCT: "90",
  ENTRY_NEEDS_APPROVAL: "yes",
  APPROVAL_TTL_S: "900",
  RECONCILE_EVERY_S: "300",
  AUTO_REATTACH: "1",
  MARKET_DATA_TYPE: "delayed-frozen",
};

const BAD: Record<EnvName, string> = {
  TRADING_MODE: "prod",
  IB_HOST: "ib gateway",
  IB_PORT: "abc",
  IB_CLIENT_ID: "-1",
  IB_ACCOUNT: "DU-123",
  DB_PATH: "data/",
  CHAT: "slack",
  CONSOLE_JSON: "maybe",
  LOG_LEVEL: "verbose",
  HEALTH_PORT: "70000",
  HEALTH_HOST: "local host",
  HEARTBEAT_S: "0",
  HEARTBEAT_TIMEOUT_S: "-5",
  STALE_AFTER_S: "two minutes",
  HANDSHAKE_TIMEOUT_S: "0",
  RECONNECT_MAX_S: "1m",
  DISCORD_TOKEN: "Bot not-a-token",
  DISCORD_APP_ID: "123",
  DISCORD_GUILD_ID: "my server",
  DISCORD_CHANNEL_ID: "#general",
  DISCORD_ALLOWED_USER_IDS: "alice,bob",
  DISCORD_ALLOWED_ROLE_ID: "@traders",
  DISCORD_API_URL: "localhost:8090",
  DISCORD_PUBLIC_READ: "sometimes",
  DISCORD_ALERT_ROLE_ID: "everyone",
  STRATEGY_SYMBOL: "S P Y",
  STRATEGY_RIGHT: "PUT",
  STRATEGY_DTE_TARGET: "85.5",
  STRATEGY_DTE_MIN: "-1",
  STRATEGY_DTE_MAX: "1000",
  STRATEGY_DELTA: "15",
  STRATEGY_QUANTITY: "0",
  STRATEGY_QUANTITY_MAX: "many",
  STRATEGY_TP_PCT: "140",
  STRATEGY_SL_PCT: "50",
  STRATEGY_SL_ORDER: "stop",
  STRATEGY_SL_TRIGGER: "mid",
  STRATEGY_SL_LIMIT_PCT: "90",
  ENTRY_CRON: "0 35 9 * * 1-5",
  ENTRY_TIMEZONE: "New York",
  ENTRY_WINDOW_END: "3:30pm",
  ENTRY_REPRICE_S: "0",
  ENTRY_PRICE_STEP: "0.055",
  ENTRY_PRICE_FLOOR_PCT: "120",
  ENTRY_NEEDS_APPROVAL: "ask",
  APPROVAL_TTL_S: "15m",
  RECONCILE_EVERY_S: "-300",
  AUTO_REATTACH: "2",
  MARKET_DATA_TYPE: "realtime",
};

function problems(env: Record<string, string | undefined>): string[] {
  const result = loadConfig(env);
  return result.ok ? [] : result.problems;
}

function config(env: Record<string, string | undefined>): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}

describe("loadConfig", () => {
  it("runs a console demo with no configuration at all", () => {
    expect(config({})).toEqual({
      mode: "demo",
      ib: { host: "127.0.0.1", port: 0, clientId: 7, handshakeTimeoutS: 5, reconnectMaxS: 60 },
      dbPath: "data/tradewarden.db",
      chat: "console",
      consoleJson: false,
      logLevel: "info",
      health: { host: "127.0.0.1", port: 8080 },
      heartbeat: { intervalS: 3, timeoutS: 5 },
      staleAfterS: 120,
      strategy: {
        symbol: "SPY",
        right: "P",
        dteTarget: 85,
        dteMin: 70,
        dteMax: 100,
        delta: 0.15,
        quantity: 1,
        quantityMax: 5,
        tpPct: 40,
        slPct: 300,
        slOrder: "stp",
        slTrigger: "mid-point",
        slLimitPct: 125,
      },
      entry: {
        cron: "35 9 * * 1-5",
        timezone: "America/New_York",
        windowEnd: "15:30",
        repriceS: 30,
        priceStep: 0.05,
        priceFloorPct: 90,
        needsApproval: false,
      },
      approvalTtlS: 900,
      reconcile: { everyS: 300, autoReattach: false },
      marketData: { type: "live", fallbackToDelayed: true },
    });
  });

  it("asks for live market data; paper falls back to delayed unless MARKET_DATA_TYPE is set, live never", () => {
    expect(config({ TRADING_MODE: "paper" }).marketData).toEqual({ type: "live", fallbackToDelayed: true });
    expect(config({ TRADING_MODE: "live" }).marketData).toEqual({ type: "live", fallbackToDelayed: false });
    expect(config({ TRADING_MODE: "live", MARKET_DATA_TYPE: "delayed" }).marketData).toEqual({
      type: "delayed",
      fallbackToDelayed: false,
    });
    expect(config({ TRADING_MODE: "paper", MARKET_DATA_TYPE: "live" }).marketData.fallbackToDelayed).toBe(
      false,
    );
  });

  it("reads a complete configuration", () => {
    const c = config(FULL);
    expect(c.mode).toBe("paper");
    expect(c.ib).toEqual({
      host: "ib-gateway",
      port: 4004,
      clientId: 7,
      account: "DU1234567",
      handshakeTimeoutS: 5,
      reconnectMaxS: 60,
    });
    expect(c.discord).toEqual({
      token: TOKEN,
      appId: "123456789012345678",
      guildId: "223456789012345678",
      channelId: "323456789012345678",
      allowedUserIds: ["423456789012345678", "523456789012345678"],
      allowedRoleId: "623456789012345678",
      apiUrl: "http://127.0.0.1:8090/api",
      publicRead: false,
      alertRoleId: "723456789012345678",
    });
    expect(c.strategy.symbol).toBe("SPY");
    expect(c.entry.needsApproval).toBe(true);
    expect(c.reconcile.autoReattach).toBe(true);
  });

  it("treats empty and blank values as unset", () => {
    expect(config({ IB_PORT: "", TRADING_MODE: " ", DISCORD_TOKEN: "", HEARTBEAT_S: "" })).toEqual(
      config({}),
    );
  });

  it.each([
    ["demo", 0],
    ["paper", 4004],
    ["live", 4003],
  ])("defaults IB_PORT by mode: %s -> %i", (mode, port) => {
    expect(config({ TRADING_MODE: mode }).ib.port).toBe(port);
  });

  it("asks for approval of entries by default in live mode only", () => {
    expect(config({ TRADING_MODE: "live" }).entry.needsApproval).toBe(true);
    expect(config({ TRADING_MODE: "paper" }).entry.needsApproval).toBe(false);
    expect(config({ TRADING_MODE: "live", ENTRY_NEEDS_APPROVAL: "false" }).entry.needsApproval).toBe(false);
  });

  it("chats on Discord by default when a token is set", () => {
    const { DISCORD_TOKEN, DISCORD_APP_ID, DISCORD_GUILD_ID, DISCORD_CHANNEL_ID, DISCORD_ALLOWED_ROLE_ID } =
      FULL;
    const env = {
      DISCORD_TOKEN,
      DISCORD_APP_ID,
      DISCORD_GUILD_ID,
      DISCORD_CHANNEL_ID,
      DISCORD_ALLOWED_ROLE_ID,
    };
    expect(config(env).chat).toBe("discord");
    expect(config({ ...env, CHAT: "console" })).toMatchObject({ chat: "console", discord: undefined });
  });

  it("knows every variable it reads", () => {
    expect(Object.keys(FULL).sort()).toEqual([...ENV_NAMES].sort());
    expect(Object.keys(BAD).sort()).toEqual([...ENV_NAMES].sort());
    expect(problems(FULL)).toEqual([]);
  });

  it.each(ENV_NAMES)("reports a bad %s in exactly one line that names it", (name) => {
    const lines = problems({ ...FULL, [name]: BAD[name] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${name}: `));
    if (name === "DISCORD_TOKEN") {
      expect(lines[0]).toContain("is set but malformed");
    } else {
      expect(lines[0]).toContain(JSON.stringify(BAD[name]));
      expect(lines[0]).toContain(`e.g. ${name}=`);
    }
  });

  it("reports every bad variable at once, one line each", () => {
    expect(problems(BAD)).toHaveLength(ENV_NAMES.length);
  });

  it("words a bad port the way the user needs it", () => {
    expect(problems({ IB_PORT: "abc" })).toEqual([
      'IB_PORT: "abc" is not a port number; use an integer 1-65535, e.g. IB_PORT=4004',
    ]);
  });

  it("refuses DISCORD_API_URL off this machine unless in demo mode (the token would go there)", () => {
    const away = { ...FULL, DISCORD_API_URL: "https://discord.example.com/api" };
    expect(problems({ ...away, TRADING_MODE: "live", IB_PORT: "4003" })).toEqual([
      expect.stringMatching(
        /^DISCORD_API_URL: the bot would send its token to discord\.example\.com; with TRADING_MODE=live only a loopback address/,
      ),
    ]);
    expect(problems(away)).toHaveLength(1);
    expect(problems({ ...away, TRADING_MODE: "demo", IB_PORT: "" })).toEqual([]);
    for (const url of ["http://127.0.0.1:8090/api", "http://localhost:9/api", "http://[::1]:9/api"]) {
      expect(problems({ ...FULL, DISCORD_API_URL: url })).toEqual([]);
    }
  });

  it("never echoes the Discord token", () => {
    const secret = "Bot MTIzNDU2Nzg5.secret-part-that-must-not-leak";
    const lines = problems({ ...FULL, DISCORD_TOKEN: secret });
    expect(lines).toHaveLength(1);
    expect(lines.join("\n")).not.toContain("secret-part");
    expect(lines.join("\n")).not.toContain("MTIzNDU2Nzg5");
    expect(JSON.stringify(describeConfig(config(FULL)))).not.toContain(TOKEN);
    expect(describeConfig(config(FULL))).toMatchObject({
      discord: { token: "[set]", appId: FULL.DISCORD_APP_ID },
    });
  });

  it.each([
    ["live", "4004", "4004 is a paper-trading port but TRADING_MODE=live"],
    ["live", "4002", "4002 is a paper-trading port but TRADING_MODE=live"],
    ["paper", "4003", "4003 is a live-trading port but TRADING_MODE=paper"],
    ["paper", "4001", "4001 is a live-trading port but TRADING_MODE=paper"],
    ["paper", "0", "0 only works in demo mode"],
  ])("refuses TRADING_MODE=%s with IB_PORT=%s", (mode, port, message) => {
    const lines = problems({ TRADING_MODE: mode, IB_PORT: port });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`IB_PORT: ${message}`);
    expect(lines[0]).toMatch(mode === "live" ? /4003 \(socat.*4001/ : /4004 \(socat.*4002/);
  });

  it.each([
    ["paper", "4002"],
    ["live", "4001"],
    ["demo", "4004"],
    ["paper", "14004"],
  ])("accepts TRADING_MODE=%s with IB_PORT=%s", (mode, port) => {
    expect(problems({ TRADING_MODE: mode, IB_PORT: port })).toEqual([]);
  });

  it("keeps STRATEGY_QUANTITY_MAX at or above STRATEGY_QUANTITY, naming the fix", () => {
    expect(problems({ STRATEGY_QUANTITY: "6" })).toEqual([
      "STRATEGY_QUANTITY_MAX: 5 is below STRATEGY_QUANTITY=6; raise STRATEGY_QUANTITY_MAX or lower STRATEGY_QUANTITY",
    ]);
    expect(problems({ STRATEGY_QUANTITY: "6", STRATEGY_QUANTITY_MAX: "6" })).toEqual([]);
  });

  it("checks the DTE range and the heartbeat against the stale limit", () => {
    expect(problems({ STRATEGY_DTE_MIN: "90" })).toEqual([
      expect.stringMatching(/^STRATEGY_DTE_MIN: need .* got 90 <= 85 <= 100/),
    ]);
    expect(problems({ STRATEGY_DTE_MAX: "80" })).toEqual([expect.stringMatching(/^STRATEGY_DTE_MAX: /)]);
    expect(problems({ HEARTBEAT_S: "60", HEARTBEAT_TIMEOUT_S: "60" })).toEqual([
      expect.stringMatching(/^HEARTBEAT_TIMEOUT_S: .*STALE_AFTER_S \(120\)/),
    ]);
  });

  it("lists each missing Discord setting on its own line when CHAT=discord", () => {
    expect(problems({ CHAT: "discord" }).map((line) => line.split(":")[0])).toEqual([
      "DISCORD_TOKEN",
      "DISCORD_APP_ID",
      "DISCORD_GUILD_ID",
      "DISCORD_CHANNEL_ID",
      "DISCORD_ALLOWED_USER_IDS",
    ]);
    expect(problems({ CHAT: "discord" })[0]).toContain("is required when CHAT=discord");
    const { DISCORD_ALLOWED_USER_IDS, DISCORD_ALLOWED_ROLE_ID, ...rest } = FULL;
    expect(problems(rest)).toEqual([expect.stringMatching(/^DISCORD_ALLOWED_USER_IDS: nobody may act/)]);
    expect(problems({ ...rest, DISCORD_ALLOWED_ROLE_ID })).toEqual([]);
    expect(problems({ ...rest, DISCORD_ALLOWED_USER_IDS })).toEqual([]);
  });

  it("reports a malformed token and the missing Discord settings together", () => {
    const lines = problems({ DISCORD_TOKEN: "nope", DISCORD_APP_ID: FULL.DISCORD_APP_ID });
    expect(lines.map((line) => line.split(":")[0])).toEqual([
      "DISCORD_TOKEN",
      "DISCORD_GUILD_ID",
      "DISCORD_CHANNEL_ID",
      "DISCORD_ALLOWED_USER_IDS",
    ]);
  });
});

describe(".env.example", () => {
  const text = readFileSync(new URL("../.env.example", import.meta.url), "utf8");

  it("documents every variable", () => {
    const missing = ENV_NAMES.filter((name) => !new RegExp(`^# ${name}=`, "m").test(text));
    expect(missing).toEqual([]);
  });

  it("is a valid configuration with every line uncommented", () => {
    const env = parseDotenv(text.replace(/^# ([A-Z_]+=)/gm, "$1"));
    expect(problems(env)).toEqual([]);
    expect(config(env)).toMatchObject({
      chat: "console",
      strategy: config({}).strategy,
      entry: config({}).entry,
    });
  });
});

describe("readEnvFile", () => {
  const dirs: string[] = [];
  const touched = ["TW_TEST_FROM_FILE", "TW_TEST_FROM_ENV"];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    for (const name of touched) delete process.env[name];
  });

  it("loads .env without overriding the real environment", () => {
    const dir = mkdtempSync(join(tmpdir(), "tradewarden-env-"));
    dirs.push(dir);
    writeFileSync(join(dir, ".env"), "TW_TEST_FROM_FILE=file\nTW_TEST_FROM_ENV=file\n");
    process.env.TW_TEST_FROM_ENV = "real";
    expect(readEnvFile(dir)).toBe(join(dir, ".env"));
    expect(process.env.TW_TEST_FROM_FILE).toBe("file");
    expect(process.env.TW_TEST_FROM_ENV).toBe("real");
  });

  it("does nothing when there is no .env", () => {
    const dir = mkdtempSync(join(tmpdir(), "tradewarden-env-"));
    dirs.push(dir);
    expect(readEnvFile(dir)).toBeUndefined();
  });
});

describe("parseEnvText", () => {
  it("reads NAME=value lines, quotes, export and comments, with their line numbers", () => {
    const { values, problems } = parseEnvText(
      "# note\n\nA=1\nexport B=\"two words\" # c\nC='x#y'\nD=plain # comment\nE=\n",
    );
    expect(problems).toEqual([]);
    expect(Object.fromEntries([...values].map(([k, v]) => [k, [v.value, v.line]]))).toEqual({
      A: ["1", 3],
      B: ["two words", 4],
      C: ["x#y", 5],
      D: ["plain", 6],
      E: ["", 7],
    });
  });

  it("reports each malformed line with its number instead of skipping it", () => {
    const { problems } = parseEnvText('OK=1\nIB PORT=4004\n=5\nX="open\n');
    expect(problems).toEqual([
      '.env line 2: "IB PORT=4004" is not NAME=value; write it as NAME=value (e.g. IB_PORT=4004) or start the line with # to keep it as a note',
      '.env line 3: "=5" is not NAME=value; write it as NAME=value (e.g. IB_PORT=4004) or start the line with # to keep it as a note',
      ".env line 4: the value of X opens a quote it never closes; close it on the same line",
    ]);
  });
});
