import { afterEach, describe, expect, it } from "vitest";
import { exitCoverageText } from "../../src/bot/status-text.js";
import { TradingOps } from "../../src/bot/trading-ops.js";
import { orders, positions, trades } from "../../src/store/index.js";
import { startTradingWorld, type TradingWorld, until } from "../support/trading-world.js";
import { waitUntil } from "../support/wait.js";
import { elapse } from "../support/world.js";

/**
 * The broker's positions and executions are the truth; the journal is our memory of intent.
 * Each test plays what a real IBKR account does and asserts what the trader would see: orders at
 * the broker, the journal, the posts. And always: no order of ours leaves the account long.
 */
let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

/** No BUY of ours is working for more than the account's short on its contract, and nothing is long. */
function expectNoLongPossible(world: TradingWorld): void {
  const s = world.sim.state();
  for (const p of s.positions)
    if (p.secType === "OPT") expect(p.pos, `${p.strike}${p.right}`).toBeLessThanOrEqual(0);
  const short = (conId: number) =>
    -s.positions.filter((p) => p.conId === conId).reduce((t, p) => t + p.pos, 0);
  for (const kind of ["LMT", "STP"]) {
    const byCon = new Map<number, number>();
    for (const o of s.openOrders)
      if (o.orderRef.startsWith("tw:") && o.action === "BUY" && o.orderType.startsWith(kind))
        byCon.set(o.contract.conId, (byCon.get(o.contract.conId) ?? 0) + o.totalQuantity - o.filled);
    for (const [conId, working] of byCon)
      expect(working, `working ${kind} on ${conId}`).toBeLessThanOrEqual(short(conId));
  }
}

/** A trader buys the short back in TWS (client 0) at `price`. */
function closeInTws(world: TradingWorld, conId: number, price: number): void {
  const manual = world.sim.placeOrder({
    conId,
    action: "BUY",
    quantity: 1,
    orderType: "LMT",
    lmtPrice: 0.05,
  });
  world.sim.fill({ orderId: manual.orderId, clientId: 0 }, price);
}

async function withExits(world: TradingWorld, strike: number, id: number) {
  const pos = await world.adoptSeeded(strike, id);
  await world.trading.exits.attach(pos.id, "test");
  await world.quiet();
  return pos;
}

/** Our exits working at the broker on a contract. */
function liveOursOn(world: TradingWorld, conId: number) {
  return world.sim
    .state()
    .openOrders.filter((o) => /^tw:(tp|sl):/.test(o.orderRef) && o.contract.conId === conId);
}

describe("the broker's truth", () => {
  it("a manual close in TWS: our exits are cancelled at once, the journal closes as manual with its P&L, one post, and a rally opens nothing", async () => {
    w = await startTradingWorld();
    const pos = await withExits(w, 625, 10);
    expect(liveOursOn(w, pos.con_id)).toHaveLength(2);

    closeInTws(w, pos.con_id, 3);
    await until(w, () => liveOursOn(w, pos.con_id).length === 0, "our exits cancelled at the broker");
    expectNoLongPossible(w);

    w.clock.advance(5_000);
    const closed = await until(
      w,
      async () => {
        const p = await positions.positionById(w.db, pos.id);
        return p?.status === "closed" ? p : undefined;
      },
      "the journal position closed",
    );
    expect(closed).toMatchObject({ close_reason: "manual", close_price: 3 });
    const [trade] = await trades.tradesForPosition(w.db, pos.id);
    expect(trade).toMatchObject({ reason: "manual", quantity: -1, exit_price: 3 });
    expect(trade!.pnl).toBeCloseTo((pos.entry_price - 3) * 100 - trade!.commission, 2);
    const posts = w.chat.delivered.filter((d) => d.alert.type === "position-closed");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.alert).toMatchObject({
      positionId: pos.id,
      reason: "manual",
      text: expect.stringMatching(/Closed outside the bot.*tw:tp:10, tw:sl:10/),
    });

    w.sim.setPrice("SPY", 720);
    w.sim.setPrice("SPY", 721);
    await w.quiet();
    expectNoLongPossible(w);
    expect(
      w.sim.state().executions.filter((e) => e.contract.conId === pos.con_id && e.clientId === 7),
    ).toEqual([]);
  });

  it("an early assignment: the exits left working on the option are cancelled, the journal closes as assigned, one post", async () => {
    w = await startTradingWorld();
    const pos = await withExits(w, 629, 11);
    w.sim.assign(pos.con_id);
    await until(w, () => liveOursOn(w, pos.con_id).length === 0, "our exits cancelled");
    expectNoLongPossible(w);
    w.clock.advance(5_000);
    await until(
      w,
      async () => (await positions.positionById(w.db, pos.id))?.status === "assigned",
      "assigned",
    );
    const posts = w.chat.delivered.filter((d) => d.alert.type === "assigned");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.alert).toMatchObject({
      shares: 100,
      text: expect.stringMatching(/bought 100 SPY shares at 629/),
    });
    expect(await trades.tradesForPosition(w.db, pos.id)).toEqual([]);
  });

  it("an execution correction replaces the fill: the journal stays -1, one pair of exits, the trade's price follows", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    const fill = w.sim.fill({ orderRef: p.orderRef }, p.limit);
    await until(w, () => liveOursOn(w, p.contract.conId).length === 2, "exits attached");
    const corrected = w.sim.correctExecution(fill.execId, p.limit + 0.1);
    expect(corrected.execId).not.toBe(fill.execId);
    await until(w, () => w.chat.types().includes("fill-corrected"), "the correction applied");
    const [pos] = await positions.openPositions(w.db);
    expect(pos).toMatchObject({ quantity: -1, entry_price: p.limit + 0.1 });
    expect(liveOursOn(w, p.contract.conId)).toHaveLength(2);
    expect(liveOursOn(w, p.contract.conId).every((o) => o.totalQuantity === 1)).toBe(true);
    expect(w.chat.delivered.filter((d) => d.alert.type === "fill-corrected")).toHaveLength(1);

    const tp = w.sim.fill({ orderRef: `tw:tp:${pos!.id}` });
    await until(w, async () => (await positions.positionById(w.db, pos!.id))?.status === "closed", "closed");
    w.sim.correctExecution(tp.execId, tp.price - 0.05);
    await until(
      w,
      () => w.chat.types().filter((t) => t === "fill-corrected").length === 2,
      "the second correction",
    );
    const [trade] = await trades.tradesForPosition(w.db, pos!.id);
    expect(trade).toMatchObject({ reason: "tp", exit_price: tp.price - 0.05 });
    const commission = 2 * 0.69;
    expect(trade!.commission).toBeCloseTo(commission, 2);
    expect(trade!.pnl).toBeCloseTo((p.limit + 0.1 - (tp.price - 0.05)) * 100 - commission, 2);
    expectNoLongPossible(w);
  });

  it("approving a re-attach for a position the broker no longer holds is refused with the reason; nothing is sent", async () => {
    w = await startTradingWorld();
    const pos = await w.adoptSeeded(632, 16);
    const approval = await w.trading.decisions.requestReattach([pos.id], "test");
    closeInTws(w, pos.con_id, 2);
    await until(
      w,
      () => w.sim.state().positions.every((p) => p.conId !== pos.con_id || p.pos === 0),
      "the short gone",
    );
    await w.quiet();
    const result = await w.trading.approvals.decideFromConsole(approval.id, "approve");
    expect(result).toMatchObject({
      text: expect.stringMatching(/holds no short position in SPY 632P.*would open a long/),
    });
    expect(liveOursOn(w, pos.con_id)).toEqual([]);
    expect((await orders.ordersForPosition(w.db, pos.id)).map((o) => o.state)).toEqual([
      "cancelled",
      "cancelled",
    ]);
    expectNoLongPossible(w);
  });
});

describe("one account, stated and checked", () => {
  const accounts = ["DU1234567", "DU7654321"];

  it("IB_ACCOUNT names the second of two accounts: orders carry it, and positions and values are read for it alone", async () => {
    w = await startTradingWorld({ accounts, env: { IB_ACCOUNT: "DU7654321" } });
    expect(w.supervisor.current).toMatchObject({ account: "DU7654321", accountProblem: null });
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    expect(w.sim.state().openOrders.find((o) => o.orderRef === p.orderRef)?.account).toBe("DU7654321");
    // The seeded shorts sit in the first account: not this bot's to adopt.
    const report = await w.trading.reconciler.run("test");
    expect(report.findings.filter((f) => f.kind === "unknown-position")).toEqual([]);
    await w.supervisor.refreshAll();
    const values = w.sim.state().accountValuesByAccount.DU7654321!;
    expect(Number(w.supervisor.cache.account?.NetLiquidation?.value)).toBeCloseTo(values.NetLiquidation, 0);
    expect(w.supervisor.cache.positions).toEqual([]);
  });

  it("two accounts and no IB_ACCOUNT: nothing is sent, an urgent alert and /status say why", async () => {
    w = await startTradingWorld({ accounts });
    await w.quiet();
    const alert = w.chat.delivered.find((d) => d.alert.type === "account-problem");
    expect(alert?.alert).toMatchObject({
      text: expect.stringMatching(/several accounts \(DU1234567, DU7654321\).*IB_ACCOUNT/),
    });
    expect(alert?.severity).toBe("urgent");
    const p = await w.trading.entries.preview("2026-02-04");
    await expect(w.trading.entries.place(p)).rejects.toThrow(/not sent: This login manages several accounts/);
    expect(w.sim.state().orders.filter((o) => o.clientId === 7 && o.orderRef === p.orderRef)).toEqual([]);
    expect(w.supervisor.current.accountProblem).toMatch(/IB_ACCOUNT is not set/);
  });

  it("an IB_ACCOUNT the login does not manage is refused, not ignored", async () => {
    w = await startTradingWorld({ env: { IB_ACCOUNT: "DU9999999" } });
    await w.quiet();
    const alert = w.chat.delivered.find((d) => d.alert.type === "account-problem");
    expect(alert?.alert).toMatchObject({
      text: expect.stringMatching(
        /IB_ACCOUNT=DU9999999 is not an account this login manages \(it manages DU1234567\)/,
      ),
    });
  });
});

describe("recovery asks each thing on its own, and longer outages", () => {
  it("reqExecutions never answers at a restart: recovery goes on, and an entry that filled while the bot was down gets its exits", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    await w.kill();
    w.sim.fill({ orderRef: p.orderRef }, p.limit);
    w.sim.fault({ type: "stall", what: "executions" });
    const booted = w.boot();
    await waitUntil(() => w.supervisor.current.state === "connected", "connected");
    await elapse(w, 35_000, { stepMs: 1_000 });
    await booted;
    await w.quiet();
    const [pos] = await positions.openPositions(w.db);
    expect(pos).toMatchObject({
      con_id: p.contract.conId,
      quantity: -1,
      source: "strategy",
      entry_order_ref: p.orderRef,
    });
    expect(
      liveOursOn(w, p.contract.conId)
        .map((o) => o.orderRef)
        .sort(),
    ).toEqual([`tw:sl:${pos!.id}`, `tw:tp:${pos!.id}`]);
    const asked = w.chat.delivered
      .filter((d) => d.alert.type === "approval-requested")
      .map((d) => JSON.stringify(d.alert));
    expect(asked.filter((a) => a.includes(p.label))).toEqual([]);

    // When executions answer again, the entry's own execution puts the price right, once.
    w.sim.fault({ type: "clear" });
    await elapse(w, 5 * 60_000 + 1_000, { stepMs: 2_000 });
    await w.quiet();
    expect(await positions.positionById(w.db, pos!.id)).toMatchObject({ quantity: -1, entry_price: p.limit });
    expectNoLongPossible(w);
  });

  it("down for two days while the stop filled: booked as the stop, without a P&L it cannot prove; an unrelated share position is no assignment", async () => {
    w = await startTradingWorld({
      seed: {
        positions: [
          { contract: { expiry: "20260430", strike: 624, right: "P" }, qty: -1, price: 6.16 },
          { contract: { secType: "STK" }, qty: 100, price: 600 },
        ],
      },
    });
    const pos = await withExits(w, 624, 18);
    await w.kill();
    w.clock.set("2026-02-05T15:00:00Z");
    w.sim.fill({ orderRef: "tw:sl:18" });
    w.clock.set("2026-02-06T15:00:00Z");
    await w.boot();
    await w.quiet();
    const closed = await positions.positionById(w.db, pos.id);
    expect(closed).toMatchObject({ status: "closed", close_reason: "sl", close_price: null });
    expect(await trades.tradesForPosition(w.db, pos.id)).toEqual([]);
    const posts = w.chat.delivered.filter((d) => ["position-closed", "assigned"].includes(d.alert.type));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.alert).toMatchObject({
      type: "position-closed",
      reason: "sl",
      pnl: null,
      text: expect.stringMatching(/stop-loss \(tw:sl:18\) filled.*no P&L is booked/),
    });
    expect(JSON.stringify(w.chat.delivered.map((d) => d.alert))).not.toMatch(/[Ee]xpired worthless/);
  });
});

describe("the stop-loss order and quantities above one", () => {
  it("the stop is a STP triggered at the mid-point by default, or a STP LMT capped at STRATEGY_SL_LIMIT_PCT of the stop", async () => {
    w = await startTradingWorld({
      env: { STRATEGY_SL_ORDER: "stp-lmt", STRATEGY_SL_TRIGGER: "double-bid-ask" },
    });
    const pos = await withExits(w, 625, 10);
    const sl = liveOursOn(w, pos.con_id).find((o) => o.orderRef === "tw:sl:10");
    expect(sl).toMatchObject({ orderType: "STP LMT", triggerMethod: 1 });
    expect(sl!.lmtPrice).toBeCloseTo(Math.round(sl!.auxPrice! * 125) / 100, 2);
  });

  it("two contracts: exits follow each partial entry fill, a partial take-profit reduces the stop, and nothing is left long", async () => {
    w = await startTradingWorld({ env: { STRATEGY_QUANTITY: "2" } });
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    const conId = p.contract.conId;
    w.sim.fill({ orderRef: p.orderRef }, p.limit, 1);
    await until(w, () => liveOursOn(w, conId).length === 2, "exits for the first contract");
    expect(liveOursOn(w, conId).map((o) => [o.totalQuantity, o.ocaType])).toEqual([
      [1, 2],
      [1, 2],
    ]);
    const ids = liveOursOn(w, conId).map((o) => o.orderId);
    w.sim.fill({ orderRef: p.orderRef }, p.limit, 1);
    await until(w, () => liveOursOn(w, conId).every((o) => o.totalQuantity === 2), "exits enlarged to two");
    expect(liveOursOn(w, conId).map((o) => o.orderId)).toEqual(ids);
    const [pos] = await positions.openPositions(w.db);
    expect(pos).toMatchObject({ quantity: -2 });

    w.sim.fill({ orderRef: `tw:tp:${pos!.id}` }, undefined, 1);
    await until(
      w,
      async () => (await positions.positionById(w.db, pos!.id))?.quantity === -1,
      "one contract bought back",
    );
    const sl = liveOursOn(w, conId).find((o) => o.orderRef === `tw:sl:${pos!.id}`);
    expect(sl && sl.totalQuantity - sl.filled).toBe(1);
    expect(await trades.tradesForPosition(w.db, pos!.id)).toMatchObject([{ reason: "tp", quantity: -1 }]);
    expectNoLongPossible(w);

    w.sim.fill({ orderRef: `tw:sl:${pos!.id}` });
    await until(w, async () => (await positions.positionById(w.db, pos!.id))?.status === "closed", "closed");
    await w.quiet();
    expect(liveOursOn(w, conId)).toEqual([]);
    expectNoLongPossible(w);
    expect(w.sim.state().positions.filter((x) => x.conId === conId && x.pos !== 0)).toEqual([]);
  });
});

describe("adopting a position adopts its exits", () => {
  it("the adopted position's own stop fills: the position closes with its P&L, /trades has the loss", async () => {
    w = await startTradingWorld();
    await w.quiet();
    const ask = w.chat.delivered
      .map((d) => d.alert)
      .find((a) => a.type === "approval-requested" && a.kind === "adopt" && a.summary.includes("624P"));
    expect(ask).toBeDefined();
    const decided = await w.trading.approvals.decideFromConsole(
      (ask as { approvalId: string }).approvalId,
      "approve",
    );
    expect(decided).toMatchObject({
      text: expect.stringMatching(/already cover it \(tw:tp:seed-18, tw:sl:seed-18\)/),
    });
    const [pos] = (await positions.openPositions(w.db)).filter((p) => p.strike === 624);
    w.sim.fill({ orderRef: "tw:sl:seed-18" });
    await until(
      w,
      async () => (await positions.positionById(w.db, pos!.id))?.status === "closed",
      "closed by its stop",
    );
    const [trade] = await trades.tradesForPosition(w.db, pos!.id);
    expect(trade).toMatchObject({ reason: "sl", quantity: -1 });
    expect(trade!.pnl).toBeLessThan(0);
    const fill = w.chat.delivered.find((d) => d.alert.type === "fill" && d.alert.intent === "sl");
    expect(fill?.alert).toMatchObject({ positionId: pos!.id, pnl: trade!.pnl });
    const report = await w.trading.reconciler.run("test");
    expect(report.findings.filter((f) => f.kind === "vanished-position")).toEqual([]);
  });

  it("exits a trader placed in TWS (another client) cover an adopted position; their fill closes it with its P&L, and the bot never cancels them", async () => {
    w = await startTradingWorld();
    const seeded = w.sim.state().positions.find((p) => p.strike === 625)!;
    w.sim.placeOrder({
      conId: seeded.conId,
      action: "BUY",
      quantity: 1,
      orderType: "LMT",
      lmtPrice: 0.5,
      tif: "GTC",
      ocaGroup: "mine",
      ocaType: 1,
    });
    const stop = w.sim.placeOrder({
      conId: seeded.conId,
      action: "BUY",
      quantity: 1,
      orderType: "STP",
      auxPrice: 40,
      tif: "GTC",
      ocaGroup: "mine",
      ocaType: 1,
    });
    await w.trading.reconciler.run("test");
    await w.quiet();
    const ask = w.chat.delivered
      .map((d) => d.alert)
      .find((a) => a.type === "approval-requested" && a.kind === "adopt" && a.summary.includes("625P"));
    const decided = await w.trading.approvals.decideFromConsole(
      (ask as { approvalId: string }).approvalId,
      "approve",
    );
    expect(decided).toMatchObject({ text: expect.stringMatching(/already cover it \(ext:\d+, ext:\d+\)/) });
    const [pos] = (await positions.openPositions(w.db)).filter((p) => p.strike === 625);
    w.sim.fill({ orderId: stop.orderId, clientId: 0 }, 40);
    await until(w, () => w.supervisor.activeSession?.heldQuantity(seeded.conId) === 0, "the short gone");
    w.clock.advance(5_000);
    await until(
      w,
      async () => (await positions.positionById(w.db, pos!.id))?.status === "closed",
      "closed by the trader's stop",
    );
    const [trade] = await trades.tradesForPosition(w.db, pos!.id);
    expect(trade).toMatchObject({ reason: "sl", exit_price: 40 });
    expect(trade!.pnl).toBeCloseTo((pos!.entry_price - 40) * 100 - trade!.commission, 2);
    expect(
      w.sim
        .state()
        .orders.filter((o) => o.clientId === 0 && o.status === "Cancelled")
        .map((o) => o.endReason),
    ).toEqual(["oca"]);
  });
});

describe("/status counts the broker's shorts", () => {
  it("an empty journal with shorts at the broker is not 'every position covered'; unknown when the gateway is gone", async () => {
    w = await startTradingWorld();
    const ops = new TradingOps({ db: w.db, clock: w.clock, supervisor: w.supervisor, trading: w.trading });
    await w.supervisor.refreshAll();
    expect(await positions.openPositions(w.db)).toEqual([]);
    const text = exitCoverageText((await ops.scheduleStatus()).uncoveredShorts);
    // The journal's seed: 624P has its TP and SL at the broker; 625P, 629P and 632P have none.
    expect(text).toMatch(/^MISSING at the broker on /);
    expect(text).toContain("SPY 625P 2026-04-17 (short 1: TP 0, SL 0)");
    expect(text).toContain("SPY 632P 2026-04-17 (short 1: TP 0, SL 0)");
    expect(text).not.toContain("624P");
    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    expect(exitCoverageText((await ops.scheduleStatus()).uncoveredShorts)).toMatch(/^unknown/);
  });
});

describe("what IB says about an order", () => {
  for (const code of [399, 2109] as const) {
    it(`a ${code} warning on an exit's id is no rejection: the exits work and are announced`, async () => {
      w = await startTradingWorld();
      w.sim.fault({ type: "warn-next-order", code });
      const pos = await withExits(w, 625, 10);
      expect((await orders.ordersForPosition(w.db, pos.id)).map((o) => o.state)).toEqual([
        "acknowledged",
        "acknowledged",
      ]);
      expect(w.chat.types()).toContain("exits-attached");
      expect(w.chat.types()).not.toContain("order-rejected");
    });
  }

  it("an Inactive exit is not 'Exits attached': the trader is told it is not working", async () => {
    w = await startTradingWorld();
    w.sim.fault({ type: "inactive-next-order" });
    const pos = await w.adoptSeeded(625, 10);
    await w.trading.exits.attach(pos.id, "test");
    await w.quiet();
    expect(w.chat.types()).not.toContain("exits-attached");
    const tp = await orders.orderByRef(w.db, "tw:tp:10");
    expect(["inactive", "rejected"]).toContain(tp?.state);
    expect(w.chat.delivered.find((d) => d.alert.type === "order-rejected")?.alert).toMatchObject({
      orderRef: "tw:tp:10",
    });
  });
});

describe("a trader's own hand on the entry", () => {
  it("the entry's limit changed in TWS is not overwritten by the next step of the ladder", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    const mine = Math.round((p.limit + 0.2) * 100) / 100;
    w.sim.modifyOrder({ orderRef: p.orderRef }, { lmtPrice: mine });
    await until(
      w,
      async () => (await orders.orderByRef(w.db, p.orderRef))?.limit_price === mine,
      "the journal takes the trader's price",
    );
    await elapse(w, 90_000, { stepMs: 5_000 });
    await w.quiet();
    expect(w.sim.state().openOrders.find((o) => o.orderRef === p.orderRef)?.lmtPrice).toBe(mine);
    expect(await orders.orderByRef(w.db, p.orderRef)).toMatchObject({ limit_price: mine, reprice: 0 });
  });
});

describe("what nothing explains, and times as gateways write them", () => {
  it("a short gone without an execution, a filled exit, a share change or an expiry: closed as 'outcome unknown', no P&L made up", async () => {
    w = await startTradingWorld();
    const pos = await withExits(w, 632, 16);
    // The option leaves the account before its expiry with no trade (a transfer, an error desk fix).
    w.sim.expire(pos.con_id);
    await until(w, () => w.supervisor.activeSession?.heldQuantity(pos.con_id) === 0, "the short gone");
    w.clock.advance(5_000);
    await until(w, async () => (await positions.positionById(w.db, pos.id))?.status !== "open", "settled");
    expect(await positions.positionById(w.db, pos.id)).toMatchObject({
      status: "closed",
      close_reason: "external",
      close_price: null,
    });
    expect(await trades.tradesForPosition(w.db, pos.id)).toEqual([]);
    const post = w.chat.delivered.find((d) => d.alert.type === "position-closed");
    expect(post?.alert).toMatchObject({
      pnl: null,
      text: expect.stringMatching(/cannot tell how.*No P&L is booked/),
    });
  });

  for (const format of ["legacy", "utc", "zone"] as const) {
    it(`an execution time in the gateway's ${format} shape is read as the moment it happened`, async () => {
      w = await startTradingWorld();
      w.sim.execTimeFormat = format;
      const pos = await withExits(w, 625, 10);
      // Filled while the bot is down; read back at a later restart, so only the time string can say when.
      await w.kill();
      w.clock.set("2026-02-04T15:07:30Z");
      w.sim.fill({ orderRef: "tw:tp:10" });
      w.clock.set("2026-02-04T15:20:00Z");
      await w.boot();
      await until(w, async () => (await positions.positionById(w.db, pos.id))?.status === "closed", "closed");
      expect((await positions.positionById(w.db, pos.id))?.closed_at).toBe("2026-02-04T15:07:30.000Z");
    });
  }
});
