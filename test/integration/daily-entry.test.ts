import { afterEach, describe, expect, it } from "vitest";
import { entryRuns, positions, trades } from "../../src/store/index.js";
import { startTradingWorld, type TradingWorld, until } from "../support/trading-world.js";
import { waitUntil } from "../support/wait.js";
import { elapse } from "../support/world.js";

let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

const ENTRY_REF = "tw:entry:2026-02-04:SPY-P";
const entriesAtBroker = () => w.sim.state().orders.filter((o) => o.orderRef.startsWith("tw:entry:"));
const approvalsOf = (kind: string) =>
  w.chat.delivered.flatMap((d) =>
    d.alert.type === "approval-requested" && d.alert.kind === kind ? [d.alert] : [],
  );

/** The working entry's limit at the broker goes down one step after ENTRY_REPRICE_S (30 s). */
async function expectLadderSteps(): Promise<void> {
  const limit = () => w.sim.state().openOrders.find((o) => o.orderRef === ENTRY_REF)?.lmtPrice ?? 0;
  await w.quiet();
  const before = limit();
  expect(before).toBeGreaterThan(0);
  await elapse(w, 31_000, { stepMs: 1_000 });
  await until(w, () => limit() < before, "the entry re-priced one step down");
}

describe("a trading day against the simulator", () => {
  it("pre-flight, 09:35 entry, fill, exits, TP fill, position closed with its trade", async () => {
    w = await startTradingWorld();
    expect(await w.trading.scheduler.preflightAt(w.clock.now())).toEqual([]);
    await elapse(w, 5 * 60_000, { stepMs: 5_000 });
    await w.trading.scheduler.runAt(w.clock.now());
    await w.quiet();
    const [entry] = entriesAtBroker();
    expect(entry).toMatchObject({ orderRef: ENTRY_REF, action: "SELL", orderType: "LMT" });
    expect((await entryRuns.entryRun(w.db, "spy-put", "2026-02-04"))?.status).toBe("placed");

    w.sim.fill({ orderRef: ENTRY_REF });
    const pos = await until(w, async () => (await positions.openPositions(w.db))[0], "the new position");
    await until(
      w,
      () => w.sim.state().openOrders.some((o) => o.orderRef === `tw:tp:${pos.id}`),
      "exits at the broker",
    );
    w.sim.fill({ orderRef: `tw:tp:${pos.id}` });
    await until(w, async () => (await positions.positionById(w.db, pos.id))?.status === "closed", "closed");
    const [trade] = await trades.tradesForPosition(w.db, pos.id);
    expect(trade).toMatchObject({ reason: "tp" });
    expect(trade!.pnl).toBeGreaterThan(0);
    const story = w.chat.types().filter((t) => ["entry-placed", "fill", "exits-attached"].includes(t));
    expect(story).toEqual(["entry-placed", "fill", "exits-attached", "fill"]);

    const summary = await w.trading.summaryAt();
    expect(summary).toMatchObject({
      tradingDay: "2026-02-04",
      openPositions: 0,
      uncovered: [],
      fills: 2,
      closedTrades: 1,
      realizedPnl: trade!.pnl,
      downtimeMs: 0,
    });

    await w.trading.scheduler.runAt(w.clock.now());
    await w.restart();
    await w.trading.scheduler.runAt(w.clock.now());
    expect(entriesAtBroker()).toHaveLength(1);
  });

  it("disconnected at 09:35: missed at once; back before the window ends: one catch-up approval, approved once", async () => {
    w = await startTradingWorld();
    await elapse(w, 5 * 60_000, { stepMs: 5_000 });
    w.sim.fault({ type: "client-id-in-use" });
    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    await w.trading.scheduler.runAt(w.clock.now());
    await w.deliver();
    const missed = w.chat.delivered.find((d) => d.alert.type === "entry-missed");
    expect(missed?.alert).toMatchObject({
      tradingDay: "2026-02-04",
      reason: expect.stringMatching(/gateway|client id/),
    });
    expect(entriesAtBroker()).toEqual([]);

    w.sim.fault({ type: "clear" });
    await elapse(w, 10_000);
    await w.reach("connected");
    await w.quiet();
    expect(approvalsOf("catch-up-entry")).toHaveLength(1);

    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    await elapse(w, 10_000);
    await w.reach("connected");
    await w.quiet();
    expect(approvalsOf("catch-up-entry")).toHaveLength(1);

    const ask = approvalsOf("catch-up-entry")[0]!;
    const [a, b] = await Promise.all([
      w.trading.approvals.decideFromConsole(ask.approvalId, "approve", "console:a"),
      w.trading.approvals.decideFromConsole(ask.approvalId, "approve", "console:b"),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    await w.quiet();
    expect(entriesAtBroker()).toHaveLength(1);
    expect(entriesAtBroker()[0]?.orderRef).toBe(ENTRY_REF);
  });

  it("an entry acknowledged after the 10 s timeout: first missed, then placed after all; no catch-up", async () => {
    // A heartbeat slower than the acknowledgement timeout keeps the socket up through the stall.
    w = await startTradingWorld({ supervisor: { heartbeatMs: 60_000, heartbeatTimeoutMs: 30_000 } });
    await elapse(w, 5 * 60_000, { stepMs: 5_000 });
    w.sim.fault({ type: "hang-at-next-order" });
    const run = w.trading.scheduler.runAt(w.clock.now());
    await waitUntil(() => w.sim.state().modes.hang, "the gateway to hang on the entry");
    await elapse(w, 11_000, { gatewayAnswers: false });
    await run;
    expect(w.chat.delivered.find((d) => d.alert.type === "entry-missed")?.alert).toMatchObject({
      reason: `the gateway did not acknowledge ${ENTRY_REF} within 10s`,
    });

    w.sim.fault({ type: "clear" });
    await until(
      w,
      async () => (await entryRuns.entryRun(w.db, "spy-put", "2026-02-04"))?.status === "placed",
      "the day's run placed after all",
    );
    expect(w.chat.delivered.find((d) => d.alert.type === "entry-placed")?.alert).toMatchObject({
      orderRef: ENTRY_REF,
    });
    await expectLadderSteps();

    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    await elapse(w, 10_000);
    await w.reach("connected");
    await w.quiet();
    expect(approvalsOf("catch-up-entry")).toEqual([]);
    expect(entriesAtBroker()).toHaveLength(1);
  });

  it("a restart while the entry works: the new process goes on down the price ladder", async () => {
    w = await startTradingWorld();
    await elapse(w, 5 * 60_000, { stepMs: 5_000 });
    await w.trading.scheduler.runAt(w.clock.now());
    await w.restart();
    await expectLadderSteps();
    expect(entriesAtBroker()).toHaveLength(1);
  });

  it("a restart while a trader's fixed limit (ladder:false) works: its limit stays where the trader put it", async () => {
    w = await startTradingWorld();
    const preview = await w.trading.entries.preview("2026-02-04");
    const limit = preview.limit + 0.5;
    await w.trading.entries.place(await w.trading.entries.preview("2026-02-04", { limit, ladder: false }));
    await w.restart();
    await elapse(w, 61_000, { stepMs: 1_000 });
    await w.quiet();
    expect(entriesAtBroker().map((o) => o.lmtPrice)).toEqual([limit]);
  });

  it("a trader's limit is where the ladder starts: one step down from it, not a jump to the mid", async () => {
    w = await startTradingWorld();
    const preview = await w.trading.entries.preview("2026-02-04");
    const limit = Math.round((preview.limit + 0.5) * 100) / 100;
    const priced = await w.trading.entries.preview("2026-02-04", { limit });
    expect(priced.ladder).toBe(true);
    await w.trading.entries.place(priced);
    await elapse(w, priced.repriceS * 1000 + 1_000, { stepMs: 1_000 });
    const stepped = Math.round((limit - priced.step) * 100) / 100;
    await until(w, () => entriesAtBroker()[0]?.lmtPrice === stepped, "one step below the trader's limit");
  });

  it("a holiday from the broker's calendar: no entry, no alarm", async () => {
    w = await startTradingWorld();
    const before = w.chat.delivered.length;
    await w.trading.scheduler.runAt(new Date("2026-02-16T14:35:00Z"));
    await w.deliver();
    expect(entriesAtBroker()).toEqual([]);
    expect(w.chat.delivered.slice(before).map((d) => d.alert.type)).toEqual([]);
    const day = await w.db
      .selectFrom("trading_days")
      .selectAll()
      .where("day", "=", "2026-02-16")
      .executeTakeFirst();
    expect(day?.status).toBe("closed");
  });

  it("a manual /entry counts as the day's entry: the schedule does not place a second", async () => {
    w = await startTradingWorld();
    const preview = await w.trading.entries.preview("2026-02-04");
    const ask = await w.trading.decisions.requestEntry(preview, {}, "console");
    expect(await w.trading.approvals.decideFromConsole(ask.id, "approve")).toMatchObject({
      ok: true,
      outcome: "executed",
    });
    await w.trading.scheduler.runAt(new Date("2026-02-04T14:35:00Z"));
    await w.quiet();
    expect(entriesAtBroker()).toHaveLength(1);
  });
});
