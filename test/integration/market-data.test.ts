import { afterEach, describe, expect, it } from "vitest";
import { describeAlert } from "../../src/bot/format.js";
import { entryRuns } from "../../src/store/index.js";
import type { Alert } from "../../src/trading/alerts.js";
import { startTradingWorld, type TradingWorld, type TradingWorldOptions } from "../support/trading-world.js";

let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

const entriesAtBroker = () => w.sim.state().orders.filter((o) => o.orderRef.startsWith("tw:entry:"));
const LIVE_NO_APPROVAL = { TRADING_MODE: "live", ENTRY_NEEDS_APPROVAL: "false" };

/** The 09:35 scheduled entry; what the channel was told about it. */
async function scheduledEntry(opts: TradingWorldOptions, before?: () => void) {
  w = await startTradingWorld({ startAt: "2026-02-04T14:35:00Z", ...opts });
  before?.();
  await w.trading.scheduler.runAt(w.clock.now());
  await w.quiet();
  const post = (type: Alert["type"]) => w.chat.delivered.find((d) => d.alert.type === type)?.alert;
  const placed = post("entry-placed");
  const failed = post("entry-failed");
  return {
    placed: placed?.type === "entry-placed" ? placed : undefined,
    words: placed ? describeAlert(placed) : failed ? describeAlert(failed) : undefined,
    failure: failed?.type === "entry-failed" ? failed.error : undefined,
    run: (await entryRuns.entryRun(w.db, "spy-put", "2026-02-04"))?.status,
  };
}

describe("the entry on the market data a real account has", () => {
  it.each([
    ["live data, live greeks", {}, undefined, "live", "live"],
    ["no greeks at all: the delta is the model's", { greeks: false }, undefined, "live", "model"],
    [
      "none with greeks off: 10090, default ticks, model delta",
      { optionsData: "none", greeks: false },
      undefined,
      "live",
      "model",
    ],
    [
      "paper with delayed data only: falls back and says so",
      { optionsData: "delayed" },
      undefined,
      "delayed",
      "delayed",
    ],
    [
      "live mode, MARKET_DATA_TYPE=delayed",
      { optionsData: "delayed" },
      { ...LIVE_NO_APPROVAL, MARKET_DATA_TYPE: "delayed" },
      "delayed",
      "delayed",
    ],
  ] as const)("%s: trades, labelled %s / %s", async (_name, sim, env, data, deltaFrom) => {
    const r = await scheduledEntry({ sim, ...(env ? { env } : {}) });
    expect(r.failure).toBeUndefined();
    expect(r.run).toBe("placed");
    expect(entriesAtBroker()).toHaveLength(1);
    expect(r.placed).toMatchObject({ data, deltaFrom });
    expect(Math.abs((r.placed?.delta ?? 0) + 0.15)).toBeLessThan(0.03);
    if (data === "delayed") expect(`${r.words?.title} ${r.words?.text}`).toMatch(/DELAYED/);
    else expect(`${r.words?.title} ${r.words?.text}`).not.toMatch(/DELAYED/);
    if (deltaFrom === "model") expect(r.words?.text).toMatch(/\(model/);
  });

  it("paper, delayed data: the fallback is said on the post", async () => {
    const r = await scheduledEntry({ sim: { optionsData: "delayed" } });
    expect(r.words?.text).toMatch(/live options data is not permitted.*switched to delayed quotes/);
  });

  it.each([
    [
      "live mode with delayed data only (354)",
      { optionsData: "delayed" },
      LIVE_NO_APPROVAL,
      /not subscribed.*\(354\).*subscribe to OPRA/,
    ],
    [
      "no options data at all (354), even delayed",
      { optionsData: "none" },
      undefined,
      /\(354\).*subscribe to OPRA.*MARKET_DATA_TYPE=delayed/,
    ],
  ] as const)("%s: fails and names the fix", async (_name, sim, env, fix) => {
    const r = await scheduledEntry({ sim, ...(env ? { env } : {}) });
    expect(r.run).toBe("failed");
    expect(entriesAtBroker()).toEqual([]);
    expect(r.failure).toMatch(fix);
    expect(r.words?.text).toMatch(fix);
  });

  it.each([
    [10090, "live"],
    [10091, "live"],
    [10167, "live"],
    [2100, "live"],
    [2152, "live"],
  ] as const)(
    "advisory %i on every option quote: the entry trades on the data that follows",
    async (code, data) => {
      const r = await scheduledEntry({}, () => w.sim.fault({ type: "market-data-code", code }));
      expect(r.failure).toBeUndefined();
      expect(entriesAtBroker()).toHaveLength(1);
      expect(r.placed).toMatchObject({ data, deltaFrom: "live" });
    },
  );

  it.each([
    [354, /subscribe to OPRA/],
    [10089, /additional subscription/],
    [10168, /delayed data is not enabled/],
    [10197, /TWS is logged in elsewhere/],
  ] as const)("%i on every option quote: nothing is placed and the post names the fix", async (code, fix) => {
    const r = await scheduledEntry({}, () => w.sim.fault({ type: "market-data-code", code }));
    expect(r.run).toBe("failed");
    expect(entriesAtBroker()).toEqual([]);
    expect(r.words?.text).toMatch(fix);
    expect(r.words?.text).not.toMatch(/\bat \w+ \(|Error:/);
  });
});

describe("strikes an expiry really lists", () => {
  it("a far expiry with $5 strikes away from the money: the entry picks a listed strike", async () => {
    // At 30 % volatility the 0.15-delta put sits beyond the $1 band, where only $5 strikes are listed.
    w = await startTradingWorld({ sim: { vol: 0.3 } });
    const p = await w.trading.entries.preview("2026-02-04");
    expect(p.dte).toBeGreaterThan(80);
    const listed = w.sim.market.strikesFor(p.contract.expiry ?? "");
    expect(listed).toContain(p.contract.strike);
    expect(p.contract.strike! % 5).toBe(0);
    const row = await w.trading.entries.place(p);
    expect(row.state).toBe("acknowledged");
    expect(w.sim.state().openOrders.find((o) => o.orderRef === p.orderRef)?.contract.conId).toBe(
      p.contract.conId,
    );
  });

  it("an override to a strike only nearer expiries list is refused with the listed ones near it", async () => {
    w = await startTradingWorld({ sim: { vol: 0.3 } });
    const p = await w.trading.entries.preview("2026-02-04");
    const unlisted = p.contract.strike! + 1;
    expect(w.sim.market.strikes).toContain(unlisted);
    await expect(w.trading.entries.preview("2026-02-04", { strike: unlisted })).rejects.toThrow(
      new RegExp(`lists no strike ${unlisted} for ${p.contract.expiry}; near it: .*${p.contract.strike}`),
    );
  });
});

describe("the 09:00 pre-flight says what market data the entry will have", () => {
  async function preflight(opts: TradingWorldOptions) {
    w = await startTradingWorld({ startAt: "2026-02-04T14:00:00Z", ...opts });
    const problems = await w.trading.scheduler.preflightAt(w.clock.now());
    await w.quiet();
    const post = w.chat.delivered.find((d) => d.alert.type.startsWith("preflight-"))?.alert;
    return { problems, post, words: post ? describeAlert(post) : undefined };
  }

  it("live data and greeks: nothing to say", async () => {
    const r = await preflight({});
    expect(r.problems).toEqual([]);
    expect(r.post).toBeUndefined();
  });

  it("paper with delayed data only: DELAYED in force, OPRA missing, the delta from delayed greeks", async () => {
    const r = await preflight({ sim: { optionsData: "delayed" } });
    expect(r.problems).toEqual([]);
    expect(r.post?.type).toBe("preflight-report");
    expect(r.words?.title).toMatch(/DELAYED/);
    expect(r.words?.text).toMatch(/^Market data: DELAYED.*switched to delayed quotes/m);
    expect(r.words?.text).toMatch(/^Missing subscriptions: live US options quotes \(OPRA\)/m);
    expect(r.words?.text).toMatch(/^Delta: 0\.1\d for SPY .*from IB's DELAYED greeks/m);
  });

  it("no greeks: the delta is the model's, and the missing greeks are said", async () => {
    const r = await preflight({ sim: { optionsData: "none", greeks: false } });
    expect(r.post?.type).toBe("preflight-report");
    expect(r.words?.text).toMatch(/^Market data: LIVE\./m);
    expect(r.words?.text).toMatch(/part of the options data \(IB 10090\/10091\); option greeks/);
    expect(r.words?.text).toMatch(/^Delta: 0\.1\d .*computed by the bot from the option's mid \(model/m);
  });

  it("no options data at all: a problem with the fix, and no delta", async () => {
    const r = await preflight({ sim: { optionsData: "none" } });
    expect(r.problems.join("\n")).toMatch(/subscribe to OPRA/);
    expect(r.post?.type).toBe("preflight-problems");
    expect(r.words?.text).toMatch(/^Delta: none could be had/m);
  });
});
