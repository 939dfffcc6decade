import { afterEach, describe, expect, it } from "vitest";
import { alerts as alertRepo, audit } from "../../src/store/index.js";
import {
  type DiscordWorld,
  OPERATOR,
  SECOND_OPERATOR,
  STRANGER,
  startDiscordWorld,
} from "../support/discord-world.js";
import {
  type Answer,
  EPHEMERAL,
  PERM,
  type SentMessage,
  type StoredMessage,
} from "../support/fake-discord/index.js";
import { until } from "../support/trading-world.js";
import { waitUntil } from "../support/wait.js";
import { elapse } from "../support/world.js";

const ENTRY_REF = "tw:entry:2026-02-04:SPY-P";

let d: DiscordWorld;
afterEach(async () => {
  await d?.close();
});

const entriesAtBroker = () => d.w.sim.state().orders.filter((o) => o.orderRef.startsWith("tw:entry:"));
const exitsAtBroker = (positionId: number) =>
  d.w.sim
    .state()
    .openOrders.map((o) => o.orderRef)
    .filter((ref) => ref === `tw:tp:${positionId}` || ref === `tw:sl:${positionId}`);

/** The approval a command asked for, from the "Approval <id>" field of its answer. */
function approvalIdOf(answer: Answer): string {
  const field = answer.embeds[0]?.fields?.find((f) => f.name.startsWith("Approval "));
  if (!field) throw new Error(`no approval in the answer: ${JSON.stringify(answer)}`);
  return field.name.slice("Approval ".length);
}

const decisionOf = (embeds: Answer["embeds"] | undefined) =>
  embeds?.[0]?.fields?.find((f) => f.name === "Decision")?.value;
const buttonStates = (post: StoredMessage) =>
  d.fake.message(post.id)?.components[0]?.components?.map((b) => b.disabled ?? false);

/** The bot's edit of the post with its own token: what an alert about the approval does. */
const editedByAlert = (post: StoredMessage, afterSeq = 0) =>
  d.fake.waitForRequest(
    (r) =>
      r.method === "PATCH" &&
      r.path === `/channels/${post.channel_id}/messages/${post.id}` &&
      r.headers.authorization === `Bot ${d.fake.token}`,
    "the approval post edited with the bot token",
    afterSeq,
  );

/** A re-attach approval: quick to ask for, and its effect is visible at the broker. */
async function reattachApproval(): Promise<{ approvalId: string; positionId: number }> {
  const position = await d.w.adoptSeeded(625);
  const reply = await d.command("reattach", { position: position.id }).answer();
  return { approvalId: approvalIdOf(reply), positionId: position.id };
}

describe("the bot on Discord, against the simulator", () => {
  it("answers /status with the live connection and the schedule", async () => {
    d = await startDiscordWorld();
    const answer = await d.command("status").answer();
    const [embed] = answer.embeds;
    expect(answer.ephemeral).toBe(false);
    expect(embed?.author?.name).toBe("PAPER");
    expect(embed?.title).toMatch(/^CONNECTED for /);
    expect(embed?.fields?.find((f) => f.name === "Schedule")?.value).toMatch(
      /^running; next entry \w{3} \d+ \w{3} \d\d:\d\d ET/,
    );
  });

  it("/entry: preview, Approve on the approval post, SELL at the broker, fill posted, TP and SL attached", async () => {
    d = await startDiscordWorld();
    const reply = await d.command("entry").answer();
    expect(reply.ephemeral).toBe(false);
    expect(reply.embeds[0]?.title).toMatch(/^Entry preview: SELL 1 SPY \d+P /);
    expect(reply.embeds[0]?.description).toContain(`Order ref ${ENTRY_REF}`);
    const approvalId = approvalIdOf(reply);
    expect(entriesAtBroker()).toEqual([]);

    const post = await d.approvalPost(approvalId);
    expect(post.embeds[0]).toMatchObject({ author: { name: "PAPER" } });
    expect(post.embeds[0]?.title).toBe(`Approval needed: entry (${approvalId})`);
    expect(post.content).toContain(`<@${OPERATOR}>`);

    const click = await d.click(post, "approve").answer();
    expect(click.callbackType).toBe(6);
    expect(decisionOf(click.embeds)).toMatch(
      new RegExp(`^Approved by <@${OPERATOR}>: Entry placed: SELL 1 SPY`),
    );
    expect(entriesAtBroker()).toMatchObject([{ orderRef: ENTRY_REF, action: "SELL", orderType: "LMT" }]);

    await editedByAlert(post);
    expect(decisionOf(d.fake.message(post.id)?.embeds)).toBe(decisionOf(click.embeds));
    expect(buttonStates(post)).toEqual([true, true]);
    const quiet = await d.posted(new RegExp(`^Entry approved \\(${approvalId}\\)$`));
    expect(quiet.content).toBe("");

    d.w.sim.fill({ orderRef: ENTRY_REF });
    const filled = await d.posted(/^Entry filled: SPY/);
    expect(filled.embeds[0]?.description).toMatch(/^SOLD 1 at \d+\.\d\d \(position \d+\)\.$/);
    await until(
      d.w,
      () => {
        const refs = d.w.sim.state().openOrders.map((o) => o.orderRef);
        return refs.some((r) => r.startsWith("tw:tp:")) && refs.some((r) => r.startsWith("tw:sl:"));
      },
      "TP and SL at the broker",
    );
  });

  it("refuses a user who is not allowed, on a command and on a button: ephemeral, audited, nothing sent", async () => {
    d = await startDiscordWorld();
    const command = await d.command("entry", {}, STRANGER).answer();
    expect(command).toMatchObject({ callbackType: 4, ephemeral: true });
    expect(command.content).toContain("You are not allowed to use /entry");

    const { approvalId, positionId } = await reattachApproval();
    const post = await d.approvalPost(approvalId);
    const click = await d.click(post, "approve", STRANGER).answer();
    expect(click).toMatchObject({ callbackType: 4, ephemeral: true });
    expect(click.content).toContain(
      `You are not allowed to decide approvals. Ask the operator to add your Discord user id (${STRANGER})`,
    );

    const actor = `discord:${STRANGER}`;
    const events = await waitUntil(async () => {
      const all = (await audit.recentAuditEvents(d.w.db)).filter((e) => e.actor === actor);
      return all.length >= 2 ? all : null;
    }, "both refusals in the audit log");
    expect(events.map((e) => [e.action, e.detail])).toEqual(
      expect.arrayContaining([
        ["discord.refused", expect.objectContaining({ command: "/entry" })],
        ["approval.refused", { id: approvalId, verdict: "approve", reason: "not-authorized" }],
      ]),
    );
    expect(buttonStates(post)).toEqual([false, false]);
    expect(entriesAtBroker()).toEqual([]);
    expect(exitsAtBroker(positionId)).toEqual([]);
  });

  it("a double click on Approve places exactly one order", async () => {
    d = await startDiscordWorld();
    const approvalId = approvalIdOf(await d.command("entry").answer());
    const post = await d.approvalPost(approvalId);

    const clicks = [d.click(post, "approve", OPERATOR), d.click(post, "approve", SECOND_OPERATOR)];
    await Promise.all(clicks.map((c) => c.answer()));
    const told = (await Promise.any(clicks.map((c) => c.followUp()))).body as SentMessage;
    await d.w.quiet();
    expect(entriesAtBroker()).toHaveLength(1);
    // Only the late clicker is told, privately.
    const followUps = clicks.flatMap((c) =>
      c.requests().filter((r) => r.path.startsWith("/webhooks/") && r.method === "POST"),
    );
    expect(followUps).toHaveLength(1);
    expect(told.flags).toBe(EPHEMERAL);
    expect(told.content).toMatch(new RegExp(`^Approval ${approvalId} was already approved by discord:\\d+`));
  });

  it("an expired approval: its post says so, buttons off; a click afterwards is refused", async () => {
    d = await startDiscordWorld({ env: { APPROVAL_TTL_S: "60" } });
    const { approvalId, positionId } = await reattachApproval();
    const post = await d.approvalPost(approvalId);

    await elapse(d.w, 61_000, { stepMs: 5_000 });
    await d.w.trading.approvals.expireDue();
    await d.w.quiet();
    await editedByAlert(post);
    expect(decisionOf(d.fake.message(post.id)?.embeds)).toMatch(
      /^Expired at \d\d:\d\d ET without a decision; nothing was done\.$/,
    );
    expect(buttonStates(post)).toEqual([true, true]);
    await d.posted(new RegExp(`^Re-attach exits approval expired \\(${approvalId}\\)$`));

    // A phone that still shows the old buttons.
    const click = d.click(post, "approve");
    const told = (await click.followUp()).body as SentMessage;
    expect(told.flags).toBe(EPHEMERAL);
    expect(told.content).toMatch(new RegExp(`^Approval ${approvalId} expired at \\d\\d:\\d\\d`));
    expect(exitsAtBroker(positionId)).toEqual([]);
  });

  it("an approval post is closed even when the bot may not read the channel's history", async () => {
    d = await startDiscordWorld({ env: { APPROVAL_TTL_S: "60" } });
    const { approvalId } = await reattachApproval();
    const post = await d.approvalPost(approvalId);
    d.fake.denyBot(PERM.readMessageHistory);

    await elapse(d.w, 61_000, { stepMs: 5_000 });
    await d.w.trading.approvals.expireDue();
    await d.w.quiet();
    await editedByAlert(post);
    expect(decisionOf(d.fake.message(post.id)?.embeds)).toMatch(
      /^Expired at \d\d:\d\d ET without a decision/,
    );
    expect(buttonStates(post)).toEqual([true, true]);
    expect(d.logs.some((l) => String(l.msg).includes("post is gone"))).toBe(false);
  });

  it("an alert raised while Discord is unreachable is posted once it is back, exactly once", async () => {
    d = await startDiscordWorld();
    d.fake.failAllPosts(true);
    const { approvalId, positionId } = await reattachApproval();
    await d.w.deliver();
    const undelivered = await alertRepo.undeliveredAlerts(d.w.db);
    const waiting = undelivered.find((a) => a.type === "approval-requested");
    expect(waiting).toMatchObject({ type: "approval-requested", delivered_at: null });
    // Alerts go out in order: the first in line has met the outage.
    expect(undelivered[0]?.last_error).toContain("503");
    expect(d.approvalPosts(approvalId)).toEqual([]);

    d.fake.failAllPosts(false);
    await elapse(d.w, 5_000);
    const post = await d.approvalPost(approvalId);
    await elapse(d.w, 5_000);
    expect(d.approvalPosts(approvalId)).toHaveLength(1);
    expect(await alertRepo.undeliveredAlerts(d.w.db)).toEqual([]);

    // Its place was recorded after the outage: the decision still edits it.
    await d.click(post, "approve").answer();
    await editedByAlert(post);
    await until(d.w, () => exitsAtBroker(positionId).length === 2, "TP and SL at the broker");
  });

  it("a 429 on the post is waited out by discord.js and the alert still arrives once", async () => {
    d = await startDiscordWorld();
    const channel = `/channels/${d.fake.ids.channel}/messages`;
    d.fake.inject429(`POST ${channel}`, 0.05, 1);
    const before = d.fake.lastSeq;
    const { approvalId } = await reattachApproval();
    await d.approvalPost(approvalId);

    // Its own post (by its nonce): other posts may go out meanwhile (the adopt approval for the 625P
    // is withdrawn now that the 625P is in the journal), and the 429 is for one of the first.
    const attempts = d.fake.requests.filter(
      (r) =>
        r.seq > before &&
        r.method === "POST" &&
        r.path === channel &&
        (r.body as { nonce?: string } | null)?.nonce === `tw-p${approvalId}`,
    );
    expect(attempts.map((r) => r.status).at(-1)).toBe(200);
    expect(d.fake.requests.filter((r) => r.seq > before && r.status === 429)).toHaveLength(1);
    expect(d.approvalPosts(approvalId)).toHaveLength(1);
  });

  it("a missed 09:35 entry: the catch-up approval is posted when the gateway is back, and approved by button", async () => {
    d = await startDiscordWorld();
    await elapse(d.w, 5 * 60_000, { stepMs: 5_000 });
    d.w.sim.fault({ type: "client-id-in-use" });
    d.w.sim.fault({ type: "drop" });
    await d.w.reach("disconnected");
    await d.w.trading.scheduler.runAt(d.w.clock.now());
    await d.w.deliver();
    const missed = await d.posted(/^Scheduled entry MISSED \(2026-02-04\)$/);
    expect(missed.embeds[0]?.description).toContain("you will be asked to place it then");
    expect(entriesAtBroker()).toEqual([]);

    d.w.sim.fault({ type: "clear" });
    await elapse(d.w, 10_000);
    await d.w.reach("connected");
    await d.w.quiet();
    const offer = await d.posted(/^Approval needed: catch-up entry /);
    expect(offer.components[0]?.components?.map((b) => b.label)).toEqual(["Approve", "Reject"]);

    const click = await d.click(offer.id, "approve").answer();
    expect(decisionOf(click.embeds)).toMatch(new RegExp(`^Approved by <@${OPERATOR}>: `));
    await d.w.quiet();
    expect(entriesAtBroker().map((o) => o.orderRef)).toEqual([ENTRY_REF]);
  });
});
