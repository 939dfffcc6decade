import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/store/index.js";
import { type DiscordWorld, OPERATOR, STRANGER, startDiscordWorld } from "../support/discord-world.js";
import type { StoredMessage } from "../support/fake-discord/index.js";
import { waitUntil } from "../support/wait.js";

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
