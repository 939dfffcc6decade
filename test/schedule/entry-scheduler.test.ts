import { afterEach, describe, expect, it } from "vitest";
import { approvals as approvalRepo, entryRuns } from "../../src/store/index.js";
import { EntryRunError } from "../../src/trading/schedule/entry-runner.js";
import { audited, posted } from "../approvals/harness.js";
import { openDays, type ScheduleWorld, scheduleWorld } from "./harness.js";

// Wednesday 2026-02-04, New York on EST (UTC-5): 09:35 ET is 14:35Z.
const DAY = "2026-02-04";
const AT_0935 = new Date("2026-02-04T14:35:00Z");
const TRADER = { actor: "discord:111111111111111111", authorized: true };

describe("EntryScheduler: the scheduled tick", () => {
  let world: ScheduleWorld;
  afterEach(async () => {
    await world.scheduler.stop();
    await world.store.close();
  });

  const run = (day = DAY) => entryRuns.entryRun(world.store.db, "spy-put", day);

  it("places the day's entry once, across a second tick and a restart", async () => {
    world = await scheduleWorld("2026-02-04T14:35:00Z");
    await openDays(world.store, [DAY]);

    await world.scheduler.runAt(AT_0935);
    await world.scheduler.runAt(AT_0935);
    const restarted = await world.restart();
    await restarted.runAt(new Date("2026-02-04T14:36:00Z"));

    expect(world.runner.placed).toEqual([{ tradingDay: DAY, actor: "schedule" }]);
    expect(await run()).toMatchObject({ status: "placed", order_ref: "tw:entry:2026-02-04:SPY-P" });
    expect(await restarted.todayRun()).toMatchObject({
      status: "placed",
      orderRef: "tw:entry:2026-02-04:SPY-P",
    });
    expect((await audited(world.store)).map((e) => e.action)).toEqual(["entry.placing", "entry.placed"]);
  });

  it("skips a holiday quietly: audited, no alert", async () => {
    world = await scheduleWorld("2026-02-16T14:35:00Z");
    await openDays(world.store, [], ["2026-02-16"]);

    await world.scheduler.runAt(new Date("2026-02-16T14:35:00Z"));

    expect(world.runner.placed).toEqual([]);
    expect(await run("2026-02-16")).toMatchObject({ status: "skipped" });
    expect(await posted(world.store)).toEqual([]);
    expect(await audited(world.store, "entry.skipped")).toHaveLength(1);
  });

  it("reports a missed entry when the trading calendar was never fetched", async () => {
    world = await scheduleWorld("2026-02-04T14:35:00Z");

    await world.scheduler.runAt(AT_0935);

    expect(world.runner.placed).toEqual([]);
    expect(await run()).toMatchObject({ status: "missed" });
    const alerts = await posted(world.store);
    expect(alerts).toEqual([
      {
        type: "entry-missed",
        severity: "urgent",
        payload: expect.objectContaining({
          tradingDay: DAY,
          reason: "trading calendar unknown (never fetched from the broker)",
        }),
      },
    ]);
  });

  it("skips with an alert while paused, and places again after resume", async () => {
    world = await scheduleWorld("2026-02-04T14:00:00Z");
    await openDays(world.store, [DAY, "2026-02-05"]);

    expect(await world.scheduler.pause("discord:111111111111111111")).toMatchObject({
      paused: true,
      changed: true,
    });
    expect(await world.scheduler.pause("console")).toMatchObject({
      changed: false,
      by: "discord:111111111111111111",
    });
    await world.scheduler.runAt(AT_0935);

    expect(world.runner.placed).toEqual([]);
    expect(await run()).toMatchObject({ status: "skipped" });
    const [skipped] = await posted(world.store, "entry-skipped");
    expect(skipped?.payload.reason).toContain("paused");

    expect(await world.scheduler.resume("console")).toMatchObject({ paused: false, changed: true });
    await world.scheduler.runAt(new Date("2026-02-05T14:35:00Z"));
    expect(world.runner.placed).toEqual([{ tradingDay: "2026-02-05", actor: "schedule" }]);
    expect(
      (await audited(world.store)).filter((e) => e.action.startsWith("schedule.")).map((e) => e.action),
    ).toEqual(["schedule.paused", "schedule.resumed"]);
  });

  it("asks for approval instead of placing when entries need approval, and places once approved", async () => {
    world = await scheduleWorld("2026-02-04T14:35:00Z", { needsApproval: true });
    await openDays(world.store, [DAY]);

    await world.scheduler.runAt(AT_0935);
    expect(world.runner.placed).toEqual([]);
    expect(await run()).toMatchObject({ status: "awaiting-approval" });
    const [pending] = await world.approvals.pending();
    expect(pending).toMatchObject({ kind: "scheduled-entry", requestedBy: "schedule" });
    if (!pending) throw new Error("no approval");

    await world.scheduler.runAt(AT_0935);
    const decided = await world.approvals.decide(pending.id, pending.nonce, "approve", TRADER);

    expect(decided).toMatchObject({ ok: true, outcome: "executed" });
    expect(world.runner.placed).toEqual([{ tradingDay: DAY, actor: TRADER.actor }]);
    expect(await run()).toMatchObject({ status: "placed", order_ref: "tw:entry:2026-02-04:SPY-P" });
  });

  it("records a rejected scheduled entry as skipped", async () => {
    world = await scheduleWorld("2026-02-04T14:35:00Z", { needsApproval: true });
    await openDays(world.store, [DAY]);
    await world.scheduler.runAt(AT_0935);
    const [pending] = await world.approvals.pending();
    if (!pending) throw new Error("no approval");

    await world.approvals.decide(pending.id, pending.nonce, "reject", TRADER);

    expect(world.runner.placed).toEqual([]);
    expect(await run()).toMatchObject({ status: "skipped", reason: expect.stringContaining("rejected by") });
  });

  it("reports a failed placement at once and never retries it", async () => {
    world = await scheduleWorld("2026-02-04T14:35:00Z");
    await openDays(world.store, [DAY]);
    world.runner.failWith = new EntryRunError("no SPY put near 0.15 delta between 70 and 100 DTE");

    await world.scheduler.runAt(AT_0935);
    world.runner.failWith = null;
    world.clock.set("2026-02-04T15:10:00Z");
    await world.sync();

    expect(await run()).toMatchObject({ status: "failed" });
    const [failed] = await posted(world.store, "entry-failed");
    expect(failed).toMatchObject({
      severity: "urgent",
      payload: { tradingDay: DAY, error: "no SPY put near 0.15 delta between 70 and 100 DTE" },
    });
    expect(await world.approvals.pending()).toEqual([]);
  });
});

describe("EntryScheduler: missed entries and the catch-up", () => {
  let world: ScheduleWorld;
  afterEach(async () => {
    await world.scheduler.stop();
    await world.store.close();
  });

  async function missedAt0935(): Promise<void> {
    world = await scheduleWorld("2026-02-04T14:35:00Z");
    await openDays(world.store, [DAY]);
    world.connection.set("disconnected", "connection closed by the gateway");
    await world.scheduler.runAt(AT_0935);
  }

  it("alerts a missed entry at once, offers one catch-up on reconnect, and places it once", async () => {
    await missedAt0935();
    expect(world.runner.placed).toEqual([]);
    expect(await posted(world.store)).toEqual([
      {
        type: "entry-missed",
        severity: "urgent",
        payload: {
          type: "entry-missed",
          tradingDay: DAY,
          reason: "gateway disconnected: connection closed by the gateway",
          catchUpUntil: "2026-02-04T20:30:00.000Z",
        },
      },
    ]);

    world.clock.set("2026-02-04T15:10:00Z");
    await world.sync();
    await world.sync();

    const offers = await world.approvals.pending();
    expect(offers).toEqual([expect.objectContaining({ kind: "catch-up-entry", requestedBy: "schedule" })]);
    expect(offers[0]?.summary).toContain("gateway disconnected");
    expect(await posted(world.store, "approval-requested")).toHaveLength(1);
    const offer = offers[0];
    if (!offer) throw new Error("no approval");

    const [first, second] = await Promise.all([
      world.approvals.decide(offer.id, offer.nonce, "approve", TRADER),
      world.approvals.decide(offer.id, offer.nonce, "approve", TRADER),
    ]);
    expect([first?.ok, second?.ok].sort()).toEqual([false, true]);
    expect(world.runner.placed).toEqual([{ tradingDay: DAY, actor: TRADER.actor }]);
    expect(await entryRuns.entryRun(world.store.db, "spy-put", DAY)).toMatchObject({ status: "placed" });

    await world.sync();
    await world.scheduler.runAt(AT_0935);
    expect(world.runner.placed).toHaveLength(1);
    expect(await posted(world.store, "approval-requested")).toHaveLength(1);
  });

  it("offers no catch-up once the entry window has ended", async () => {
    await missedAt0935();
    world.clock.set("2026-02-04T20:31:00Z");
    await world.sync();

    expect(await world.approvals.pending()).toEqual([]);
    expect(await entryRuns.entryRun(world.store.db, "spy-put", DAY)).toMatchObject({ status: "missed" });
  });

  it("lets the catch-up approval expire at the window's end, with a clear refusal", async () => {
    await missedAt0935();
    world.clock.set("2026-02-04T20:25:00Z");
    await world.sync();
    const [offer] = await world.approvals.pending();
    if (!offer) throw new Error("no approval");
    expect(offer.expiresAt).toBe("2026-02-04T20:30:00.000Z");

    world.clock.set("2026-02-04T20:31:00Z");
    const late = await world.approvals.decide(offer.id, offer.nonce, "approve", TRADER);

    expect(late).toMatchObject({ ok: false, reason: "expired" });
    expect(world.runner.placed).toEqual([]);
    expect(await entryRuns.entryRun(world.store.db, "spy-put", DAY)).toMatchObject({
      status: "skipped",
      reason: expect.stringContaining("expired"),
    });
    expect(await posted(world.store, "approval-expired")).toHaveLength(1);
  });

  it("counts a placement the gateway dropped as missed, so a catch-up follows", async () => {
    world = await scheduleWorld("2026-02-04T14:35:00Z");
    await openDays(world.store, [DAY]);
    world.runner.failWith = new EntryRunError("gateway disconnected before the order was sent", {
      gatewayDown: true,
    });
    await world.scheduler.runAt(AT_0935);
    expect(await posted(world.store, "entry-missed")).toHaveLength(1);

    world.runner.failWith = null;
    world.clock.set("2026-02-04T15:10:00Z");
    await world.sync();
    expect(await world.approvals.pending()).toEqual([expect.objectContaining({ kind: "catch-up-entry" })]);
  });

  it("treats a day nobody claimed (the bot was down at 09:35) as missed, and offers the catch-up", async () => {
    world = await scheduleWorld("2026-02-04T15:10:00Z");
    await openDays(world.store, [DAY]);

    await world.sync();

    const [missed] = await posted(world.store, "entry-missed");
    expect(missed?.payload.reason).toBe("the bot was not running at the scheduled time");
    expect(await world.approvals.pending()).toEqual([expect.objectContaining({ kind: "catch-up-entry" })]);
  });

  it("does nothing on a sync before the day's entry time", async () => {
    world = await scheduleWorld("2026-02-04T14:00:00Z");
    await openDays(world.store, [DAY]);

    await world.sync();

    expect(await posted(world.store)).toEqual([]);
    expect(await world.scheduler.todayRun()).toBeNull();
  });

  it("keeps the catch-up to one after a restart", async () => {
    await missedAt0935();
    world.clock.set("2026-02-04T15:10:00Z");
    await world.sync();
    await world.restart();
    await world.sync();

    expect(await approvalRepo.approvalsInStatus(world.store.db, "pending")).toHaveLength(1);
  });
});
