import { afterEach, describe, expect, it } from "vitest";
import { runConsoleCommand } from "../../src/bot/console/console-commands.js";
import { Ops } from "../../src/bot/ops.js";
import { type DiscordWorld, startDiscordWorld } from "../support/discord-world.js";
import type { Answer } from "../support/fake-discord/index.js";
import { startTradingWorld, type TradingWorld, until } from "../support/trading-world.js";
import { elapse } from "../support/world.js";

let d: DiscordWorld | undefined;
let w: TradingWorld | undefined;
afterEach(async () => {
  await d?.close();
  await w?.close();
  d = undefined;
  w = undefined;
});

const approvalIdOf = (a: Answer) =>
  a.embeds[0]?.fields?.find((f) => f.name.startsWith("Approval "))?.name.slice("Approval ".length) ?? "";
const entriesAtBroker = (world: TradingWorld) =>
  world.sim.state().orders.filter((o) => o.orderRef.startsWith("tw:entry:"));
const entryApprovals = async (ops: Ops) => (await ops.trade.approvals()).filter((a) => a.kind === "entry");
/** 17:00 New York on Wed 4 Feb 2026: after the close. */
const AFTER_CLOSE = "2026-02-04T22:00:00Z";

describe("entry sanity on Discord", () => {
  it("the Entry placed post shows the quantity, the credit in dollars and the TP and SL", async () => {
    d = await startDiscordWorld();
    const reply = await d.command("entry", { quantity: 2 }).answer();
    expect(reply.embeds[0]?.title).toMatch(/^Entry preview: SELL 2 SPY \d+P /);
    const post = await d.approvalPost(approvalIdOf(reply));
    await d.click(post, "approve").answer();
    const placed = await d.posted(/^Entry placed: SELL 2 SPY \d+P /);
    const [order] = entriesAtBroker(d.w);
    const limit = order?.lmtPrice ?? 0;
    const credit = (limit * 200).toLocaleString("en-US", { minimumFractionDigits: 2 });
    expect(placed.embeds[0]?.description).toMatch(
      new RegExp(
        `^Limit ${limit.toFixed(2)} = \\$${credit.replace(".", "\\.")} credit, .*On fill: TP ${(Math.round(limit * 40) / 100).toFixed(2)}, SL ${(Math.round(limit * 300) / 100).toFixed(2)}\\.`,
      ),
    );
    expect(order?.totalQuantity).toBe(2);
  });

  it("/entry quantity:100 requests nothing and says to send confirm:true; with it, the approval says so", async () => {
    d = await startDiscordWorld();
    const fat = await d.command("entry", { quantity: 100 }).answer();
    expect(fat.embeds[0]?.title).toMatch(/^Entry NOT requested: SELL 100 SPY /);
    expect(fat.embeds[0]?.description).toMatch(
      /^Nothing requested: quantity 100 is above STRATEGY_QUANTITY_MAX \(5 contracts\)\. Check the numbers; if you mean it, send \/entry quantity:100 confirm:true\n/,
    );
    expect(fat.embeds[0]?.fields ?? []).toEqual([]);
    expect(await entryApprovals(d.ops)).toEqual([]);

    const meant = await d.command("entry", { quantity: 100, confirm: true }).answer();
    expect(meant.embeds[0]?.title).toMatch(/^Entry preview: SELL 100 SPY /);
    expect(meant.embeds[0]?.description).toContain(
      "Confirmed with confirm:true: quantity 100 is above STRATEGY_QUANTITY_MAX (5 contracts)",
    );
    const [approval] = await entryApprovals(d.ops);
    expect(approval?.summary).toContain("CONFIRMED: quantity 100 is above STRATEGY_QUANTITY_MAX");
    expect(entriesAtBroker(d.w)).toEqual([]);
  });

  it("/entry limit:9999 requests nothing: the limit is too far from the mid", async () => {
    d = await startDiscordWorld();
    const fat = await d.command("entry", { limit: 9999 }).answer();
    expect(fat.embeds[0]?.description).toMatch(
      /^Nothing requested: limit 9999\.00 is \d+ % above the mid \d+\.\d\d \(more than 50 % away\)\. .*send \/entry limit:9999\.00 confirm:true/,
    );
    expect(await entryApprovals(d.ops)).toEqual([]);
    expect(entriesAtBroker(d.w)).toEqual([]);
  });

  it("a strike override keeps the ladder: the preview says so and the limit steps down at the broker", async () => {
    d = await startDiscordWorld();
    const auto = await d.ops.trade.previewEntry();
    const strike = auto.contract.strike ?? 0;
    const reply = await d.command("entry", { strike }).answer();
    expect(reply.embeds[0]?.description).toMatch(
      /\nLadder: \d+\.\d\d steps down 0\.05 every 30s to the floor \d+\.\d\d \(ladder:false keeps it at \d+\.\d\d\)\n/,
    );
    await d.click(await d.approvalPost(approvalIdOf(reply)), "approve").answer();
    const first = entriesAtBroker(d.w)[0]?.lmtPrice ?? 0;
    await elapse(d.w, 31_000, { stepMs: 1_000 });
    const world = d.w;
    await until(world, () => (entriesAtBroker(world)[0]?.lmtPrice ?? first) < first, "one step down");
  });
});

describe("entry sanity on the console", () => {
  it("quantity above the max: nothing requested until confirm:true, then an approval", async () => {
    d = await startDiscordWorld();
    const fat = await runConsoleCommand(d.ops, "entry", ["quantity:6"]);
    expect(fat.ok).toBe(false);
    expect(fat.text).toMatch(
      /^Nothing requested: quantity 6 is above STRATEGY_QUANTITY_MAX \(5 contracts\)\. .*send \/entry quantity:6 confirm:true\n/,
    );
    expect(await entryApprovals(d.ops)).toEqual([]);
    const meant = await runConsoleCommand(d.ops, "entry", ["quantity:6", "confirm:true"]);
    expect(meant.ok).toBe(true);
    expect(meant.text).toMatch(/\nApproval \S+: approve \S+ \/ reject \S+$/);
  });

  it("ladder:false: the preview says the limit stays, and it stays at the broker", async () => {
    d = await startDiscordWorld();
    const reply = await runConsoleCommand(d.ops, "entry", ["ladder:false"]);
    expect(reply.text).toMatch(/\nLadder: off \(ladder:false\): the limit stays at \d+\.\d\d until it fills/);
    const id = /Approval (\S+):/.exec(reply.text)?.[1] ?? "";
    const decided = await runConsoleCommand(d.ops, "approve", [id]);
    expect(decided.ok).toBe(true);
    const first = entriesAtBroker(d.w)[0]?.lmtPrice;
    expect(first).toBeDefined();
    await elapse(d.w, 91_000, { stepMs: 1_000 });
    await d.w.quiet();
    expect(entriesAtBroker(d.w).map((o) => o.lmtPrice)).toEqual([first]);
  });

  it("after the close (paper): the preview says the order rests until the open, and it is placed as a DAY order that is not stepped", async () => {
    d = await startDiscordWorld({ startAt: AFTER_CLOSE });
    const reply = await runConsoleCommand(d.ops, "entry", []);
    expect(reply.text).toContain(
      "\nMarket closed (it opens Thu 5 Feb 09:30 ET): the order will rest at IB until the open, then work as a DAY order\n",
    );
    expect(reply.text).toMatch(/\nLadder: off while the market is closed: the limit stays at \d+\.\d\d\n/);
    const id = /Approval (\S+):/.exec(reply.text)?.[1] ?? "";
    expect((await runConsoleCommand(d.ops, "approve", [id])).ok).toBe(true);
    const [order] = entriesAtBroker(d.w);
    expect(order).toMatchObject({ action: "SELL", tif: "DAY" });
    await elapse(d.w, 61_000, { stepMs: 1_000 });
    await d.w.quiet();
    expect(entriesAtBroker(d.w).map((o) => o.lmtPrice)).toEqual([order?.lmtPrice]);
  });

  it("after the close (live): refused with the reason, nothing requested or sent", async () => {
    w = await startTradingWorld({
      startAt: AFTER_CLOSE,
      env: { TRADING_MODE: "live", IB_ACCOUNT: "DU1234567" },
    });
    const ops = new Ops({
      mode: "live",
      db: w.db,
      clock: w.clock,
      supervisor: w.supervisor,
      staleAfterMs: 120_000,
      trading: w.trading,
    });
    const reply = await runConsoleCommand(ops, "entry", []);
    expect(reply.ok).toBe(false);
    expect(reply.text).toMatch(
      /^Nothing requested: the market is closed \(it opens Thu 5 Feb 09:30 ET\)\. Live mode does not leave a manual entry resting until the open: send \/entry again during regular trading hours\.\n/,
    );
    expect(await entryApprovals(ops)).toEqual([]);
    expect(entriesAtBroker(w)).toEqual([]);
  });
});
