/**
 * The fault matrix: each fault against the whole bot (real @stoqey/ib on the simulator, real
 * discord.js on the fake Discord, the real store), then the money-safety invariants once it has
 * recovered. Prints a summary table at the end.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { SimOrder } from "../../src/sim/index.js";
import { orders, positions } from "../../src/store/index.js";
import { type DiscordWorld, startDiscordWorld } from "../support/discord-world.js";
import { checkInvariants, INVARIANTS, type InvariantReport } from "../support/invariants.js";
import { journalEntryOnly, type TradingWorldOptions, until } from "../support/trading-world.js";
import { waitUntil } from "../support/wait.js";
import { elapse } from "../support/world.js";
import { holdWriteLock } from "../support/write-lock.js";

const DAY = "2026-02-04";
const ENTRY_REF = `tw:entry:${DAY}:SPY-P`;

interface Run {
  d: DiscordWorld;
  /** Alerts up to this id were raised before the bot joined Discord (recorded only). */
  baseline: number;
  /** Broker order keys (client:orderId) seen with a different orderRef: an id used twice. */
  reusedIds: string[];
  entryFills: () => number;
}

let run: Run | undefined;
let dir: string | undefined;
const summary: Array<{ fault: string; report: InvariantReport }> = [];

afterEach(async () => {
  await run?.d.close();
  run = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

afterAll(() => {
  const width = Math.max(...summary.map((s) => s.fault.length), 5);
  const header = `${"fault".padEnd(width)} | ${INVARIANTS.join(" | ")}`;
  const rows = summary.map(
    ({ fault, report }) =>
      `${fault.padEnd(width)} | ${INVARIANTS.map((name) => (report[name].length === 0 ? "held" : "BROKEN").padEnd(name.length)).join(" | ")}`,
  );
  console.log(["Fault matrix", header, "-".repeat(header.length), ...rows].join("\n"));
});

async function start(opts: TradingWorldOptions = {}): Promise<Run> {
  // 09:34:30 New York: the scheduled entry is 30 seconds away.
  const d = await startDiscordWorld({ seed: "empty", startAt: "2026-02-04T14:34:30Z", ...opts });
  await d.w.quiet();
  const baseline = await lastAlertId(d);
  const refs = new Map<string, string>();
  const reusedIds: string[] = [];
  d.w.sim.on("order", (o: SimOrder) => {
    const key = `${o.clientId}:${o.orderId}`;
    const ref = refs.get(key);
    if (ref === undefined) refs.set(key, o.orderRef);
    else if (ref !== o.orderRef) reusedIds.push(`${key} (${ref} then ${o.orderRef})`);
  });
  const entryFills = () =>
    d.w.chat.delivered.filter((i) => i.alert.type === "fill" && i.alert.intent === "entry").length;
  run = { d, baseline, reusedIds, entryFills };
  return run;
}

async function lastAlertId(d: DiscordWorld): Promise<number> {
  const row = await d.w.db
    .selectFrom("alerts")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Checks, records the row for the summary, and fails the test with what broke. */
async function expectInvariants(fault: string, r: Run): Promise<void> {
  const report = await checkInvariants(r.d, { baseline: r.baseline, reusedIds: r.reusedIds });
  summary.push({ fault, report });
  expect(report).toEqual(Object.fromEntries(INVARIANTS.map((name) => [name, []])));
}

// ---- the day's steps ----------------------------------------------------------------------------

/** 09:35 New York: the scheduled entry. Not awaited by callers that break the socket under it. */
async function toEntryTime(r: Run): Promise<void> {
  await elapse(r.d.w, 30_000, { stepMs: 5_000 });
}

function scheduledEntry(r: Run): Promise<void> {
  return r.d.w.trading.scheduler.runAt(r.d.w.clock.now());
}

/** Whatever a fault interrupted: the entry filled if still working, then TP and SL on every position. */
async function finishDay(r: Run): Promise<void> {
  const { w } = r.d;
  await w.quiet();
  const live = w.sim.state().openOrders.find((o) => o.orderRef.startsWith("tw:entry:"));
  if (live) w.sim.fill({ orderRef: live.orderRef });
  await until(
    w,
    async () => {
      const open = await positions.openPositions(w.db);
      const refs = w.sim.state().openOrders.map((o) => o.orderRef);
      const has = (prefix: string) => refs.some((ref) => ref.startsWith(prefix));
      return open.length > 0 && open.every((p) => has(`tw:tp:${p.id}`) && has(`tw:sl:${p.id}`));
    },
    "a position with TP and SL at the broker",
  ).catch(async (err: Error) => {
    throw new Error(`${err.message}\n${await snapshot(r)}`);
  });
}

/** The journal and the broker side by side, for a failure message. */
async function snapshot(r: Run): Promise<string> {
  const { w } = r.d;
  const journal = await w.db
    .selectFrom("orders")
    .select(["order_ref", "state", "broker_order_id", "last_error"])
    .execute();
  const broker = w.sim.state().orders.map((o) => `${o.orderRef} #${o.orderId} ${o.status}`);
  const open = await positions.openPositions(w.db);
  return [
    `connection: ${w.supervisor.current.state}`,
    `journal orders: ${JSON.stringify(journal)}`,
    `broker orders: ${JSON.stringify(broker)}`,
    `open positions: ${JSON.stringify(open.map((p) => ({ id: p.id, qty: p.quantity })))}`,
    `alerts: ${w.chat.types().join(", ")}`,
  ].join("\n");
}

/** Clears the gateway's faults and lets fake time run until the bot is connected and caught up. */
async function recover(r: Run): Promise<void> {
  const { w } = r.d;
  w.sim.fault({ type: "clear" });
  await elapse(w, 30_000, { stepMs: 1_000 });
  await w.reach("connected");
  await w.quiet();
}

/**
 * Drops every gateway socket at the first broker event that matches, once; resolves when the bot
 * has noticed, so that fake time runs only after the fault (recover() advances it).
 */
function dropWhen(r: Run, match: (o: SimOrder, cause: string) => boolean): Promise<void> {
  const { sim } = r.d.w;
  return new Promise((resolve) => {
    const onOrder = (o: SimOrder, cause: string) => {
      if (!match(o, cause)) return;
      sim.off("order", onOrder);
      sim.fault({ type: "drop" });
      void waitUntil(() => r.d.w.supervisor.current.state !== "connected", "the bot to see the drop").then(
        () => resolve(),
      );
    };
    sim.on("order", onOrder);
  });
}

async function coveredPosition(r: Run) {
  await toEntryTime(r);
  await scheduledEntry(r);
  await finishDay(r);
  const [position] = await positions.openPositions(r.d.w.db);
  return position!;
}

const exitOrder = (r: Run, kind: "tp" | "sl", positionId: number) =>
  r.d.w.sim.state().openOrders.find((o) => o.orderRef.startsWith(`tw:${kind}:${positionId}`));

// ---- the matrix ---------------------------------------------------------------------------------

describe("fault matrix: every fault, then the money-safety invariants", () => {
  describe("socket drop at each step of the order lifecycle", () => {
    it("entry sent, before its acknowledgement", async () => {
      const r = await start();
      await toEntryTime(r);
      const dropped = dropWhen(r, (o, cause) => cause === "placed" && o.orderRef === ENTRY_REF);
      const entry = scheduledEntry(r).catch(() => {});
      await dropped;
      await recover(r);
      await entry;
      await finishDay(r);
      await expectInvariants("drop: entry sent, not acknowledged", r);
    });

    it("entry acknowledged, before any fill", async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      await r.d.w.quiet();
      r.d.w.sim.fault({ type: "drop" });
      await recover(r);
      await finishDay(r);
      await expectInvariants("drop: entry working", r);
    });

    it("entry filled, before the execution reaches the bot", async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      await r.d.w.quiet();
      const dropped = dropWhen(r, (o, cause) => cause === "filled" && o.orderRef === ENTRY_REF);
      r.d.w.sim.fill({ orderRef: ENTRY_REF });
      await dropped;
      await recover(r);
      await finishDay(r);
      expect(r.entryFills()).toBe(1);
      await expectInvariants("drop: entry filled, execution in flight", r);
    });

    it("take-profit sent, stop-loss not yet", async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      await r.d.w.quiet();
      const dropped = dropWhen(r, (o, cause) => cause === "placed" && o.orderRef.startsWith("tw:tp:"));
      r.d.w.sim.fill({ orderRef: ENTRY_REF });
      await dropped;
      await recover(r);
      await finishDay(r);
      await expectInvariants("drop: TP sent, SL not yet", r);
    });

    it("exits acknowledged", async () => {
      const r = await start();
      await coveredPosition(r);
      r.d.w.sim.fault({ type: "drop" });
      await recover(r);
      await finishDay(r);
      await expectInvariants("drop: exits working", r);
    });

    it("take-profit filled while the socket is down", async () => {
      const r = await start();
      const position = await coveredPosition(r);
      r.d.w.sim.fault({ type: "drop" });
      r.d.w.sim.fill({ orderRef: exitOrder(r, "tp", position.id)!.orderRef });
      await recover(r);
      await until(
        r.d.w,
        async () => (await positions.positionById(r.d.w.db, position.id))?.status === "closed",
        "the position closed by its TP",
      );
      expect(exitOrder(r, "sl", position.id)).toBeUndefined();
      await expectInvariants("drop: TP filled while down", r);
    });
  });

  it("the gateway hangs as the entry is sent: it never arrives, the day is offered as a catch-up", async () => {
    const r = await start();
    await toEntryTime(r);
    r.d.w.sim.fault({ type: "hang-at-next-order" });
    const entry = scheduledEntry(r).catch(() => {});
    await waitUntil(() => r.d.w.sim.state().modes.hang, "the gateway to hang on the entry");
    await elapse(r.d.w, 15_000, { stepMs: 1_000, gatewayAnswers: false });
    expect(r.d.w.supervisor.current.state).not.toBe("connected");
    await recover(r);
    await entry;
    expect(r.d.w.sim.state().orders).toEqual([]);
    const [approval] = await r.d.w.db
      .selectFrom("approvals")
      .select("id")
      .where("kind", "=", "catch-up-entry")
      .where("status", "=", "pending")
      .execute();
    const missed = await r.d.posted(/^Scheduled entry MISSED/);
    expect(missed.embeds[0]?.description).toContain("did not acknowledge tw:entry:2026-02-04:SPY-P");
    await r.d.click(await r.d.approvalPost(String(approval!.id)), "approve").answer();
    await finishDay(r);
    expect(r.d.w.sim.state().orders.map((o) => o.orderRef)).toContain(`${ENTRY_REF}/2`);
    await expectInvariants("hung gateway as the entry is sent", r);
  });

  for (const dataLost of [true, false]) {
    const code = dataLost ? 1101 : 1102;
    it(`1100 while the entry fills, then ${code}`, async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      await r.d.w.quiet();
      r.d.w.sim.fault({ type: "connectivity-lost" });
      await r.d.w.reach("degraded");
      r.d.w.sim.fill({ orderRef: ENTRY_REF });
      r.d.w.sim.fault({ type: "connectivity-restored", dataLost });
      await recover(r);
      await finishDay(r);
      expect(r.entryFills()).toBe(1);
      await expectInvariants(`1100 during the fill, then ${code}`, r);
    });
  }

  it("client id in use when reconnecting", async () => {
    const r = await start();
    await coveredPosition(r);
    r.d.w.sim.fault({ type: "client-id-in-use" });
    r.d.w.sim.fault({ type: "drop" });
    await elapse(r.d.w, 10_000, { stepMs: 1_000 });
    expect(r.d.w.supervisor.current.state).not.toBe("connected");
    await recover(r);
    await finishDay(r);
    await expectInvariants("client id in use", r);
  });

  it("gateway restart with new order ids: the re-attached exits use ids never used before", async () => {
    const r = await start();
    const position = await coveredPosition(r);
    r.d.w.sim.restartGateway();
    await recover(r);
    // The trader cancels both exits in TWS; the bot offers to re-attach them; Approve.
    for (const kind of ["tp", "sl"] as const) {
      const o = exitOrder(r, kind, position.id)!;
      r.d.w.sim.cancel(o.orderId, o.clientId);
    }
    const report = await r.d.ops.trade.reconcile();
    expect(report.findings.map((f) => f.kind)).toContain("missing-exits");
    const [approval] = await r.d.w.db
      .selectFrom("approvals")
      .select("id")
      .where("kind", "=", "reattach")
      .where("status", "=", "pending")
      .execute();
    const post = await r.d.approvalPost(String(approval!.id));
    await r.d.click(post, "approve").answer();
    await finishDay(r);
    expect(exitOrder(r, "tp", position.id)?.orderRef).toMatch(/^tw:tp:\d+:2$/);
    await expectInvariants("gateway restart, new order ids", r);
  });

  it("executions replayed: sent twice by the gateway and again after a restart", async () => {
    const r = await start();
    await toEntryTime(r);
    await scheduledEntry(r);
    await r.d.w.quiet();
    r.d.w.sim.fill({ orderRef: ENTRY_REF });
    r.d.w.sim.fault({ type: "duplicate-execution" });
    await finishDay(r);
    await r.d.w.restart();
    await r.d.w.quiet();
    expect(r.entryFills()).toBe(1);
    await expectInvariants("executions replayed", r);
  });

  describe("the bot killed mid-entry and started again", () => {
    it("after journaling the entry, before sending it", async () => {
      const r = await start();
      await toEntryTime(r);
      const preview = await r.d.w.trading.entries.preview(DAY);
      await r.d.w.kill();
      await journalEntryOnly(r.d.w, preview);
      await r.d.w.boot();
      await scheduledEntry(r);
      await finishDay(r);
      await expectInvariants("killed after journaling the entry", r);
    });

    it("after sending the entry, before its acknowledgement was journaled", async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      const row = await orders.orderByRef(r.d.w.db, ENTRY_REF);
      await r.d.w.kill();
      await orders.updateOrderState(
        r.d.w.db,
        row!.id,
        { state: "transmitted", permId: null },
        r.d.w.clock.now(),
      );
      await r.d.w.boot();
      await scheduledEntry(r);
      await finishDay(r);
      await expectInvariants("killed after sending the entry", r);
    });

    it("down while the entry filled", async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      await r.d.w.quiet();
      await r.d.w.kill();
      r.d.w.sim.fill({ orderRef: ENTRY_REF });
      await r.d.w.boot();
      await scheduledEntry(r);
      await finishDay(r);
      expect(r.entryFills()).toBe(1);
      await expectInvariants("killed, entry filled while down", r);
    });

    it("between applying the entry's fill and sending its exits", async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      await r.d.w.quiet();
      r.d.w.trading.lifecycle.stop();
      r.d.w.sim.fill({ orderRef: ENTRY_REF });
      const [execution] = await r.d.w.supervisor.activeSession!.executions();
      await r.d.w.trading.fills.apply(execution!);
      await r.d.w.kill();
      await r.d.w.boot();
      await finishDay(r);
      expect(r.entryFills()).toBe(1);
      await expectInvariants("killed between fill and exits", r);
    });
  });

  describe("Discord failing while alerts are raised", () => {
    it("429 on every channel post of the day", async () => {
      const r = await start();
      const channel = `/channels/${r.d.fake.ids.channel}/messages`;
      r.d.fake.inject429(`POST ${channel}`, 0.05, 10);
      await coveredPosition(r);
      expect(r.d.fake.requests.filter((q) => q.status === 429).length).toBeGreaterThan(0);
      await expectInvariants("Discord 429", r);
    });

    it("5xx for every post while the entry fills, then back", async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      await r.d.w.quiet();
      r.d.fake.failAllPosts(true);
      r.d.w.sim.fill({ orderRef: ENTRY_REF });
      await elapse(r.d.w, 20_000, { stepMs: 2_000 });
      expect(r.d.fake.requests.filter((q) => q.status === 503).length).toBeGreaterThan(0);
      r.d.fake.failAllPosts(false);
      await elapse(r.d.w, 120_000, { stepMs: 10_000 });
      await finishDay(r);
      await expectInvariants("Discord 5xx outage", r);
    });

    it("gateway socket dropped: the bot resumes and still answers", async () => {
      const r = await start();
      await toEntryTime(r);
      const resumed = r.d.fake.nextGatewayEvent("resumed");
      r.d.fake.dropGateway();
      await scheduledEntry(r);
      await finishDay(r);
      await resumed;
      const answer = await r.d.command("status").answer();
      expect(answer.embeds[0]?.title).toMatch(/^CONNECTED/);
      await expectInvariants("Discord gateway drop", r);
    });
  });

  describe("the broker's truth: what a real account does behind the bot's back", () => {
    /** The short in a contract is gone from the broker: wait for the bot to see it, then let the settle run. */
    async function settle(r: Run, conId: number): Promise<void> {
      const { w } = r.d;
      await until(
        w,
        () => w.supervisor.activeSession?.heldQuantity(conId) === 0,
        "the bot to see the short gone",
      );
      await elapse(w, 6_000, { stepMs: 1_000 });
      await w.quiet();
    }

    it("manual close in TWS, then a rally", async () => {
      const r = await start();
      const position = await coveredPosition(r);
      const { sim } = r.d.w;
      const manual = sim.placeOrder({
        conId: position.con_id,
        action: "BUY",
        quantity: 1,
        orderType: "LMT",
        lmtPrice: 0.05,
      });
      sim.fill({ orderId: manual.orderId, clientId: 0 }, 3);
      await settle(r, position.con_id);
      expect(await positions.positionById(r.d.w.db, position.id)).toMatchObject({
        status: "closed",
        close_reason: "manual",
      });
      sim.setPrice("SPY", 720);
      sim.setPrice("SPY", 721);
      await r.d.w.quiet();
      await expectInvariants("manual close in TWS, then a rally", r);
    });

    it("early assignment", async () => {
      const r = await start();
      const position = await coveredPosition(r);
      r.d.w.sim.assign(position.con_id);
      await settle(r, position.con_id);
      expect(await positions.positionById(r.d.w.db, position.id)).toMatchObject({ status: "assigned" });
      await expectInvariants("early assignment", r);
    });

    it("execution correction of the entry", async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      await r.d.w.quiet();
      const fill = r.d.w.sim.fill({ orderRef: ENTRY_REF });
      await finishDay(r);
      r.d.w.sim.correctExecution(fill.execId, fill.price + 0.05);
      await until(r.d.w, () => r.d.w.chat.types().includes("fill-corrected"), "the correction applied");
      await finishDay(r);
      expect(r.entryFills()).toBe(1);
      await expectInvariants("execution correction", r);
    });

    it("two accounts, IB_ACCOUNT names the second", async () => {
      const r = await start({ accounts: ["DU1234567", "DU7654321"], env: { IB_ACCOUNT: "DU7654321" } });
      await coveredPosition(r);
      const ours = r.d.w.sim.state().orders.filter((o) => o.clientId === 7);
      expect(new Set(ours.map((o) => o.account))).toEqual(new Set(["DU7654321"]));
      await expectInvariants("two accounts, IB_ACCOUNT set", r);
    });

    it("executions stalled at a restart after the entry filled", async () => {
      const r = await start();
      await toEntryTime(r);
      await scheduledEntry(r);
      await r.d.w.quiet();
      await r.d.w.kill();
      r.d.w.sim.fill({ orderRef: ENTRY_REF });
      r.d.w.sim.fault({ type: "stall", what: "executions" });
      const booted = r.d.w.boot();
      await waitUntil(() => r.d.w.supervisor.current.state === "connected", "connected");
      await elapse(r.d.w, 35_000, { stepMs: 1_000 });
      await booted;
      await finishDay(r);
      await recover(r);
      await elapse(r.d.w, 300_000, { stepMs: 2_000 });
      await r.d.w.quiet();
      expect(r.entryFills()).toBe(1);
      await expectInvariants("stalled executions at a restart", r);
    });

    it("down for two days while the stop filled", async () => {
      const r = await start();
      const position = await coveredPosition(r);
      const { w } = r.d;
      await w.kill();
      w.clock.set("2026-02-05T15:00:00Z");
      w.sim.fill({ orderRef: exitOrder(r, "sl", position.id)!.orderRef });
      w.clock.set("2026-02-06T15:00:00Z");
      await w.boot();
      await w.quiet();
      expect(await positions.positionById(w.db, position.id)).toMatchObject({
        status: "closed",
        close_reason: "sl",
      });
      await expectInvariants("two-day outage, stop filled", r);
    });
  });

  it("the database file locked by another writer while the take-profit fills", async () => {
    dir = mkdtempSync(join(tmpdir(), "tw-lock-"));
    const dbPath = join(dir, "tw.db");
    const r = await start({ dbPath });
    const position = await coveredPosition(r);
    const released = holdWriteLock(dbPath, 300);
    await released.locked;
    r.d.w.sim.fill({ orderRef: exitOrder(r, "tp", position.id)!.orderRef });
    await released.done;
    await until(
      r.d.w,
      async () => (await positions.positionById(r.d.w.db, position.id))?.status === "closed",
      "the position closed once the lock is gone",
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await snapshot(r)}`);
    });
    await expectInvariants("database briefly locked", r);
  });
});
