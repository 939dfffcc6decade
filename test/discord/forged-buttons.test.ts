import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/store/index.js";
import {
  type DiscordWorld,
  OPERATOR,
  SECOND_OPERATOR,
  STRANGER,
  startDiscordWorld,
} from "../support/discord-world.js";
import { type Answer, EPHEMERAL, type StoredMessage } from "../support/fake-discord/index.js";
import { waitUntil } from "../support/wait.js";
import { elapse } from "../support/world.js";

let d: DiscordWorld;
let post: StoredMessage;
let approvalId: string;
let positionId: number;

beforeAll(async () => {
  d = await startDiscordWorld();
  positionId = (await d.w.adoptSeeded(625)).id;
  const reply = await d.command("reattach", { position: positionId }).answer();
  approvalId = reply.embeds[0]?.fields?.[0]?.name.slice("Approval ".length) ?? "";
  post = await d.approvalPost(approvalId);
});
afterAll(async () => {
  await d?.close();
});

/** A click with any custom_id on the real approval post, as a modified client could send. */
async function forge(customId: string, userId = OPERATOR) {
  const [latest] = await audit.recentAuditEvents(d.w.db, 1);
  const answer = await d.fake.clickButton({ userId, customId, message: post.id }).answer();
  const event = await waitUntil(async () => {
    const events = await audit.recentAuditEvents(d.w.db);
    return events.find((e) => e.id > (latest?.id ?? 0) && e.actor === `discord:${userId}`);
  }, "the refusal in the audit log");
  return { answer, event };
}

function untouched() {
  expect(d.fake.message(post.id)?.components[0]?.components?.map((b) => b.disabled ?? false)).toEqual([
    false,
    false,
  ]);
  expect(d.w.sim.state().openOrders.filter((o) => o.orderRef.endsWith(`:${positionId}`))).toEqual([]);
}

describe("forged approval buttons", () => {
  it("a wrong nonce on a real approval is refused, audited, and changes nothing", async () => {
    const { answer, event } = await forge(`ap:${approvalId}:0000000000000000:approve`);
    expect(answer).toMatchObject({ callbackType: 6 });
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toContain(`This button does not match approval ${approvalId}`);
    expect(event).toMatchObject({
      action: "approval.refused",
      detail: { id: approvalId, reason: "wrong-nonce" },
    });
    untouched();
  });

  it("an unknown approval id is refused and audited", async () => {
    const { answer, event } = await forge("ap:zzzzzzzz:0123456789abcdef:approve");
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toBe('There is no approval "zzzzzzzz". /approvals lists the pending ones.');
    expect(event).toMatchObject({
      action: "approval.refused",
      detail: { id: "zzzzzzzz", reason: "not-found" },
    });
    untouched();
  });

  it.each([
    "ap:x:y",
    "ap::n:approve",
    "ap:abc:n n:approve",
    "ap:abc:n:approve:extra",
    "ap:abc:n:maybe",
    "other",
  ])("a malformed custom_id %j is refused and audited", async (customId) => {
    const { answer, event } = await forge(customId);
    expect(answer).toMatchObject({ callbackType: 4, ephemeral: true });
    expect(answer.content).toBe("This button is not one of the bot's approval buttons; nothing was done.");
    expect(event).toMatchObject({ action: "discord.refused", detail: { button: customId } });
    untouched();
  });

  it("a malformed custom_id from a stranger gets the stranger's refusal", async () => {
    const { answer, event } = await forge("ap:x:y", STRANGER);
    expect(answer.content).toContain("You are not allowed to decide approvals");
    expect(event).toMatchObject({ action: "discord.refused", detail: { button: "ap:x:y" } });
    untouched();
  });
});

describe("replayed and expired approval buttons", () => {
  let w: DiscordWorld;
  afterEach(async () => {
    await w?.close();
  });

  async function reattachPost(world: DiscordWorld) {
    const id = (await world.w.adoptSeeded(625)).id;
    const reply = await world.command("reattach", { position: id }).answer();
    const approval = reply.embeds[0]?.fields?.[0]?.name.slice("Approval ".length) ?? "";
    return { id, approval, post: await world.approvalPost(approval) };
  }

  const decisionOf = (answer: Answer) => answer.embeds[0]?.fields?.find((f) => f.name === "Decision")?.value;

  const refusals = async (world: DiscordWorld, approval: string) =>
    (await audit.recentAuditEvents(world.w.db, 50)).filter(
      (e) => e.action === "approval.refused" && (e.detail as { id?: string }).id === approval,
    );

  it("Approve pressed again after the decision (a replay): refused, audited, one pair of exits", async () => {
    w = await startDiscordWorld();
    const { id, approval, post } = await reattachPost(w);
    await w.click(post, "approve").answer();
    // The stale phone's message is brought up to date, and the presser told why, privately.
    const again = w.click(post, "approve", SECOND_OPERATOR);
    expect(decisionOf(await again.answer())).toMatch(/^Approved by /);
    const told = (await again.followUp()).body as { content?: string; flags?: number };
    expect(told.flags).toBe(EPHEMERAL);
    expect(told.content).toMatch(new RegExp(`^Approval ${approval} was already approved by`));
    expect(await refusals(w, approval)).toMatchObject([
      { actor: `discord:${SECOND_OPERATOR}`, detail: { reason: "already-decided", verdict: "approve" } },
    ]);
    const exits = w.w.sim.state().openOrders.filter((o) => o.orderRef.endsWith(`:${id}`));
    expect(exits.map((o) => o.orderType).sort()).toEqual(["LMT", "STP"]);
  });

  it("a button of an expired approval: refused, audited, nothing sent", async () => {
    w = await startDiscordWorld({ env: { APPROVAL_TTL_S: "60" } });
    const { id, approval, post } = await reattachPost(w);
    await elapse(w.w, 61_000, { stepMs: 5_000 });
    const click = w.click(post, "approve");
    await click.answer();
    const told = (await click.followUp()).body as { content?: string; flags?: number };
    expect(told.flags).toBe(EPHEMERAL);
    expect(told.content).toMatch(new RegExp(`^Approval ${approval} expired at`));
    expect(await refusals(w, approval)).toMatchObject([
      { actor: `discord:${OPERATOR}`, detail: { reason: "expired", verdict: "approve" } },
    ]);
    expect(w.w.sim.state().openOrders.filter((o) => o.orderRef.endsWith(`:${id}`))).toEqual([]);
  });
});
