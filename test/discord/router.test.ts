import { afterEach, describe, expect, it } from "vitest";
import {
  type ApprovalClickResult,
  approvalButtons,
  buttonId,
  type Verdict,
} from "../../src/bot/discord/buttons.js";
import type { ChatUser } from "../../src/bot/discord/commands/index.js";
import { type Bot, OPERATOR, startBot } from "./harness.js";
import { withTestCommands } from "./test-commands.js";

describe("the interaction router", () => {
  let bot: Bot;
  afterEach(() => bot?.close());

  it("answers bad options ephemerally, saying what to fix, without running the command", async () => {
    bot = await startBot({ commands: withTestCommands });
    const answer = await bot.fake
      .slashCommand({ userId: OPERATOR, name: "entry", options: { strike: 5 } })
      .answer();

    expect(answer).toMatchObject({ callbackType: 4, ephemeral: true });
    expect(answer.content).toContain("/entry was not run");
    expect(answer.content).toContain("`strike`: use a strike of at least 100");
  });

  it("answers a command it does not know ephemerally", async () => {
    bot = await startBot();
    const answer = await bot.fake.slashCommand({ userId: OPERATOR, name: "gone" }).answer();
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toContain("no /gone command");
    expect(answer.content).toContain("npm run deploy-commands");
  });

  it("turns a handler's error into an ephemeral 'failed' and keeps serving", async () => {
    bot = await startBot({ commands: withTestCommands });
    const handle = bot.fake.slashCommand({ userId: OPERATOR, name: "broken" });
    const answer = await handle.answer();

    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toBe("/broken failed: database is locked");
    // The public "thinking..." reply is removed, so only the caller sees the failure.
    expect(
      handle.requests().some((r) => r.method === "DELETE" && r.path.endsWith("/messages/@original")),
    ).toBe(true);
    expect(bot.logs.some((l) => l.msg === "discord: command failed")).toBe(true);

    const status = await bot.fake.slashCommand({ userId: OPERATOR, name: "status" }).answer();
    expect(status.embeds[0]?.title).toContain("DISCONNECTED");
  });

  it("survives an interaction delivered twice: the second defer gets 40060", async () => {
    bot = await startBot();
    const handle = bot.fake.slashCommand({ userId: OPERATOR, name: "status" });
    await handle.answer();
    const before = bot.fake.lastSeq;
    handle.redeliver();

    const refused = await bot.fake.waitForRequest(
      (r) => r.path.includes(handle.id),
      "the second defer",
      before,
    );
    expect(refused.response).toMatchObject({ code: 40060 });
    await expect
      .poll(() => bot.logs.some((l) => l.msg === "discord: interaction expired or already answered"))
      .toBe(true);
    const status = await bot.fake.slashCommand({ userId: OPERATOR, name: "status" }).answer();
    expect(status.embeds[0]?.title).toContain("DISCONNECTED");
  });

  it("survives an interaction that expired before the bot answered (10062)", async () => {
    bot = await startBot();
    const handle = bot.fake.slashCommand({ userId: OPERATOR, name: "status", expired: true });

    expect((await handle.callback()).response).toMatchObject({ code: 10062 });
    await expect
      .poll(() => bot.logs.some((l) => l.msg === "discord: interaction expired or already answered"))
      .toBe(true);
    const status = await bot.fake.slashCommand({ userId: OPERATOR, name: "status" }).answer();
    expect(status.embeds[0]?.title).toContain("DISCONNECTED");
  });
});

describe("approval buttons", () => {
  let bot: Bot;
  afterEach(() => bot?.close());

  it("defers the update, asks the approval handler, then shows who decided and disables the buttons", async () => {
    const clicks: Array<{ approvalId: string; nonce: string; verdict: Verdict; user: ChatUser }> = [];
    bot = await startBot({
      approvals: {
        onApprovalClick: async (approvalId, nonce, verdict, user): Promise<ApprovalClickResult> => {
          clicks.push({ approvalId, nonce, verdict, user });
          return { status: "decided", note: "order placed" };
        },
      },
    });
    const post = bot.fake.botMessage({
      embeds: [{ title: "Place today's entry?" }],
      components: [approvalButtons(42, "k3y")],
    });
    const handle = bot.fake.clickButton({
      userId: OPERATOR,
      customId: buttonId(42, "k3y", "approve"),
      message: post,
    });

    expect((await handle.callback()).body).toMatchObject({ type: 6 });
    const answer = await handle.answer();

    expect(clicks).toEqual([
      { approvalId: "42", nonce: "k3y", verdict: "approve", user: expect.objectContaining({ id: OPERATOR }) },
    ]);
    const decision = answer.embeds[0]?.fields?.find((f) => f.name === "Decision")?.value;
    expect(decision).toMatch(new RegExp(`^Approved by <@${OPERATOR}> .*: order placed$`));
    const buttons = bot.fake.message(post.id)?.components[0]?.components ?? [];
    expect(buttons.map((b) => b.disabled)).toEqual([true, true]);
    expect(bot.fake.message(post.id)?.embeds[0]?.title).toBe("Place today's entry?");
  });

  it("tells only the clicker when the approval service refuses the click", async () => {
    bot = await startBot({
      approvals: {
        onApprovalClick: async () => ({
          status: "refused",
          reason: "This approval was replaced by a newer one.",
        }),
      },
    });
    const post = bot.fake.botMessage({ content: "Approve?", components: [approvalButtons(1, "old")] });
    const answer = await bot.fake
      .clickButton({ userId: OPERATOR, customId: buttonId(1, "old", "reject"), message: post })
      .answer();

    expect(answer).toMatchObject({ ephemeral: true, content: "This approval was replaced by a newer one." });
    expect(bot.fake.message(post.id)?.components[0]?.components?.[0]?.disabled).toBeUndefined();
  });
});
