import { afterEach, describe, expect, it } from "vitest";
import { alerts as alertRepo } from "../../src/store/index.js";
import { type DiscordWorld, OPERATOR, startDiscordWorld } from "../support/discord-world.js";
import type { Answer, StoredMessage } from "../support/fake-discord/index.js";
import { until } from "../support/trading-world.js";
import { elapse } from "../support/world.js";

let d: DiscordWorld;
afterEach(async () => {
  await d?.close();
});

const ask = (name: string, options?: Record<string, string | number>) => d.command(name, options).answer();
const approvalIdOf = (a: Answer) =>
  a.embeds[0]?.fields?.find((f) => f.name.startsWith("Approval "))?.name.slice("Approval ".length) ?? "";
const decisionOf = (m: StoredMessage | undefined, index = 0) =>
  m?.embeds[index]?.fields?.find((f) => f.name === "Decision")?.value;
const exitsAtBroker = (positionId: number) =>
  d.w.sim
    .state()
    .openOrders.filter((o) => o.orderRef === `tw:tp:${positionId}` || o.orderRef === `tw:sl:${positionId}`);

describe("read-only commands", () => {
  it("/positions shows each position with its exits at the broker, red when one lacks them", async () => {
    d = await startDiscordWorld();
    const position = await d.w.adoptSeeded(625);
    const [embed] = (await ask("positions")).embeds;
    expect(embed).toMatchObject({
      author: { name: "PAPER" },
      title: "1 open position, 1 without a live TP and SL",
      color: 0xe74c3c,
    });
    expect(embed?.description).toMatch(
      new RegExp(`^#${position.id} -1 SPY 625P \\d{4}-\\d\\d-\\d\\d @ 6.08 \\| TP MISSING \\| SL MISSING`),
    );
  });

  it("/orders lists the broker's open orders with their refs and OCA group", async () => {
    d = await startDiscordWorld();
    const [embed] = (await ask("orders")).embeds;
    expect(embed?.title).toBe("2 open orders at the broker");
    expect(embed?.description).toContain("BUY 1 SPY 624P");
    expect(embed?.description).toContain("oca tw:oca:seed-18 (tw:tp:seed-18)");
  });

  it("/trades takes days, and says what to fix when it is out of range", async () => {
    d = await startDiscordWorld();
    const week = await ask("trades");
    expect(week.embeds[0]).toMatchObject({
      title: "Closed trades, last 7 days",
      description: "No closed trades in the last 7 days.",
    });
    const bad = await ask("trades", { days: 0 });
    expect(bad).toMatchObject({ callbackType: 4, ephemeral: true });
    expect(bad.content).toBe("/trades was not run: days must be at least 1. Fix the options and try again.");
  });
});

describe("actions", () => {
  it("/entry refuses bad options up front and reports what the broker does not list", async () => {
    d = await startDiscordWorld();
    const cents = await ask("entry", { limit: 6.123, expiry: "2026-04-30" });
    expect(cents.ephemeral).toBe(true);
    expect(cents.content).toBe(
      "/entry was not run: expiry must be a date as YYYYMMDD, e.g. 20260430; " +
        "limit must be in whole cents, e.g. 6.10. Fix the options and try again.",
    );
    const unlisted = await ask("entry", { strike: 1 });
    expect(unlisted).toMatchObject({
      ephemeral: true,
      content: expect.stringMatching(
        /^\/entry failed: SPY lists no strike 1 for \d{8}; near it: \d+, \d+, \d+$/,
      ),
    });
    expect(d.w.sim.state().orders.filter((o) => o.orderRef.startsWith("tw:entry:"))).toEqual([]);
  });

  it("/reattach: Reject leaves the position bare; a second /reattach approved attaches TP and SL", async () => {
    d = await startDiscordWorld();
    const position = await d.w.adoptSeeded(625);
    const first = await ask("reattach", { position: position.id });
    expect(first.embeds[0]).toMatchObject({
      title: "Re-attach exits: 1 position",
      description: `#${position.id} SPY 625P ${position.expiry.slice(0, 4)}-${position.expiry.slice(4, 6)}-${position.expiry.slice(6)}: missing TP and SL`,
    });
    const rejected = await d.approvalPost(approvalIdOf(first));
    const no = await d.click(rejected, "reject").answer();
    expect(decisionOf({ ...rejected, embeds: no.embeds })).toBe(
      `Rejected by <@${OPERATOR}>: Nothing was done.`,
    );
    await d.w.quiet();
    expect(exitsAtBroker(position.id)).toEqual([]);

    const second = await ask("reattach", { position: position.id });
    const approved = await d.approvalPost(approvalIdOf(second));
    const yes = await d.click(approved, "approve").answer();
    expect(yes.embeds[0]?.fields?.at(-1)?.value).toMatch(new RegExp(`^Approved by <@${OPERATOR}>: `));
    await until(d.w, () => exitsAtBroker(position.id).length === 2, "TP and SL at the broker");

    const none = await ask("reattach", { position: position.id });
    expect(none.embeds[0]?.title).toBe("Nothing to re-attach");
    const unknown = await ask("reattach", { position: 999 });
    expect(unknown).toMatchObject({
      ephemeral: true,
      content: "/reattach failed: there is no open position 999",
    });
  });

  it("/reconcile reports what it found", async () => {
    d = await startDiscordWorld();
    const [embed] = (await ask("reconcile")).embeds;
    // The journal is empty and the simulator holds the four short puts of the seed.
    expect(embed?.title).toBe("Reconciled: 4 findings");
    expect(embed?.description).toContain("The broker holds -1 SPY 629P");
  });

  it("/pause and /resume the schedule, and /status shows it", async () => {
    d = await startDiscordWorld();
    expect((await ask("pause")).embeds[0]?.title).toBe("Schedule paused");
    const again = (await ask("pause")).embeds[0];
    expect(again?.title).toBe("Schedule already paused");
    expect(again?.description).toMatch(
      new RegExp(`^Paused by <@${OPERATOR}> since \\w{3} \\d+ \\w{3} \\d\\d:\\d\\d ET\\.$`),
    );
    const status = (await ask("status")).embeds[0]?.fields?.find((f) => f.name === "Schedule");
    expect(status?.value).toMatch(new RegExp(`^\\*\\*PAUSED\\*\\* by <@${OPERATOR}>`));
    expect((await ask("resume")).embeds[0]?.title).toBe("Schedule resumed");
    expect((await ask("resume")).embeds[0]?.title).toBe("Schedule was not paused");
  });
});

describe("/approvals", () => {
  it("lists pending approvals to the caller with their buttons; a click decides only its own row", async () => {
    d = await startDiscordWorld();
    const position = await d.w.adoptSeeded(625);
    const reattachId = approvalIdOf(await ask("reattach", { position: position.id }));
    const post = await d.approvalPost(reattachId);

    const asked = d.command("approvals");
    const list = await asked.answer();
    expect(list.ephemeral).toBe(true);
    // The reconciler asked to adopt the four seeded puts at boot; the 625P is in the journal now,
    // so its adopt approval was withdrawn: three adopts and the re-attach.
    expect(list.embeds).toHaveLength(4);
    const row = list.components.findIndex((r) =>
      r.components?.[0]?.custom_id?.startsWith(`ap:${reattachId}:`),
    );
    expect(list.embeds[row]?.title).toBe(`Approval needed: re-attach exits (${reattachId})`);
    expect(list.components[row]?.components?.map((b) => b.label)).toEqual([
      `Approve ${reattachId}`,
      `Reject ${reattachId}`,
    ]);

    const reply = asked.requests().find((r) => r.method === "PATCH" && r.path.endsWith("/@original"))!;
    const listed = reply.response as StoredMessage;
    const click = d.fake.clickButton({
      userId: OPERATOR,
      customId: list.components[row]?.components?.[0]?.custom_id ?? "",
      message: listed,
    });
    await click.answer();
    const after = d.fake.message(listed.id);
    expect(decisionOf(after, row)).toMatch(new RegExp(`^Approved by <@${OPERATOR}>: `));
    const disabled = after?.components.map((r) => r.components?.map((b) => b.disabled ?? false));
    expect(disabled).toEqual(list.components.map((_, i) => [i === row, i === row]));
    // The approval's own post in the channel is edited too, by the decision's alert.
    await until(d.w, () => decisionOf(d.fake.message(post.id)) !== undefined, "the approval post edited");
    expect(decisionOf(d.fake.message(post.id))).toBe(decisionOf(after, row));
  });
});

describe("approval posts and their alerts", () => {
  it("decided on the console during an outage: posted late, then closed with the decision", async () => {
    d = await startDiscordWorld();
    const position = await d.w.adoptSeeded(625);
    d.fake.failAllPosts(true);
    const approvalId = approvalIdOf(await ask("reattach", { position: position.id }));
    await d.ops.trade.decideFromConsole(approvalId, "reject");
    await d.w.deliver();
    expect(d.approvalPosts(approvalId)).toEqual([]);

    d.fake.failAllPosts(false);
    await elapse(d.w, 5_000);
    const post = await d.approvalPost(approvalId);
    await d.posted(new RegExp(`^Re-attach exits rejected \\(${approvalId}\\)$`));
    expect(decisionOf(d.fake.message(post.id))).toBe("Rejected by console: Nothing was done.");
    expect(d.fake.message(post.id)?.components[0]?.components?.map((b) => b.disabled)).toEqual([true, true]);
  });

  it("a deleted approval post does not hold up the alerts behind it", async () => {
    d = await startDiscordWorld();
    const position = await d.w.adoptSeeded(625);
    const approvalId = approvalIdOf(await ask("reattach", { position: position.id }));
    const post = await d.approvalPost(approvalId);
    const deleted = await fetch(`${d.fake.apiUrl}/v10/channels/${post.channel_id}/messages/${post.id}`, {
      method: "DELETE",
      headers: { authorization: `Bot ${d.fake.token}` },
    });
    expect(deleted.status).toBe(204);

    await d.ops.trade.decideFromConsole(approvalId, "reject");
    await d.w.quiet();
    await d.posted(new RegExp(`^Re-attach exits rejected \\(${approvalId}\\)$`));
    expect(await alertRepo.undeliveredAlerts(d.w.db)).toEqual([]);
    expect(d.logs.some((l) => l.msg === "discord: the approval's post is gone; not edited")).toBe(true);
  });
});
