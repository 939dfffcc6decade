import { afterEach, describe, expect, it } from "vitest";
import type {
  ApprovalClick,
  ApprovalClickResult,
  ApprovalDesk,
} from "../../src/bot/discord/approval-desk.js";
import { approvalButtons, buttonId } from "../../src/bot/discord/buttons.js";
import { EPHEMERAL } from "../support/fake-discord/index.js";
import { type Bot, OPERATOR, startBot } from "./harness.js";
import { withTestCommands } from "./test-commands.js";

describe("the interaction router", () => {
  let bot: Bot;
  afterEach(() => bot?.close());

  it("answers bad options ephemerally, saying what to fix, without running the command", async () => {
    bot = await startBot({ commands: withTestCommands });
    const answer = await bot.fake
      .slashCommand({ userId: OPERATOR, name: "act", options: { strike: 5 } })
      .answer();

    expect(answer).toMatchObject({ callbackType: 4, ephemeral: true });
    expect(answer.content).toBe(
      "/act was not run: strike must be at least 100. Fix the options and try again.",
    );
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

  it("keeps a failure private even when the public loading reply cannot be removed", async () => {
    bot = await startBot({ commands: withTestCommands });
    bot.fake.inject5xx(/^DELETE \/webhooks\/.*\/messages\/@original$/, 4);
    const handle = bot.fake.slashCommand({ userId: OPERATOR, name: "broken" });
    const told = (await handle.followUp()).body as { content?: string; flags?: number };

    expect(told).toMatchObject({ content: "/broken failed: database is locked", flags: EPHEMERAL });
    // What the channel shows gives nothing away.
    const shown = bot.fake.channelMessages().map((m) => m.content);
    expect(shown).toEqual(["/broken did not complete; only you were told why."]);
  });

  it("answers a command run outside the alert channel privately", async () => {
    bot = await startBot();
    const handle = bot.fake.slashCommand({
      userId: OPERATOR,
      name: "status",
      channelId: bot.fake.ids.otherChannel,
    });
    const answer = await handle.answer();

    expect(answer.ephemeral).toBe(true);
    expect(answer.embeds[0]?.title).toContain("DISCONNECTED");
    expect(bot.fake.channelMessages(bot.fake.ids.otherChannel)).toEqual([]);
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

/** A stand-in for the approval service: answers every click with `result`. */
function desk(result: (click: ApprovalClick) => ApprovalClickResult): ApprovalDesk {
  return { decide: async (click) => result(click), recordPost: async () => {} };
}

describe("approval buttons", () => {
  let bot: Bot;
  afterEach(() => bot?.close());

  it("defers the update, then shows who decided what and disables the buttons", async () => {
    bot = await startBot({
      approvals: desk((click) => ({
        status: "decided",
        line: `${click.verdict} ${click.approvalId} by <@${click.user.id}>: order placed`,
      })),
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

    const decision = answer.embeds[0]?.fields?.find((f) => f.name === "Decision")?.value;
    expect(decision).toBe(`approve 42 by <@${OPERATOR}>: order placed`);
    const buttons = bot.fake.message(post.id)?.components[0]?.components ?? [];
    expect(buttons.map((b) => b.disabled)).toEqual([true, true]);
    expect(bot.fake.message(post.id)?.embeds[0]?.title).toBe("Place today's entry?");
  });

  it("tells only the clicker when the approval service refuses the click", async () => {
    bot = await startBot({
      approvals: desk(() => ({ status: "refused", reason: "This approval was replaced by a newer one." })),
    });
    const post = bot.fake.botMessage({ content: "Approve?", components: [approvalButtons(1, "old")] });
    const answer = await bot.fake
      .clickButton({ userId: OPERATOR, customId: buttonId(1, "old", "reject"), message: post })
      .answer();

    expect(answer).toMatchObject({ ephemeral: true, content: "This approval was replaced by a newer one." });
    expect(bot.fake.message(post.id)?.components[0]?.components?.[0]?.disabled).toBeUndefined();
  });

  it("on a settled approval tells the clicker why, keeps the decision shown and disables the buttons", async () => {
    bot = await startBot({
      approvals: desk(() => ({ status: "closed", reason: "Approval 9 was already approved by console." })),
    });
    const post = bot.fake.botMessage({
      embeds: [{ title: "Entry?", fields: [{ name: "Decision", value: "Approved by console: placed." }] }],
      components: [approvalButtons(9, "n")],
    });
    const handle = bot.fake.clickButton({
      userId: OPERATOR,
      customId: buttonId(9, "n", "approve"),
      message: post,
    });
    await handle.answer();
    const told = (await handle.followUp()).body as { content?: string; flags?: number };

    expect(told).toMatchObject({ flags: EPHEMERAL, content: "Approval 9 was already approved by console." });
    const now = bot.fake.message(post.id);
    expect(now?.embeds[0]?.fields).toEqual([{ name: "Decision", value: "Approved by console: placed." }]);
    expect(now?.components[0]?.components?.map((b) => b.disabled)).toEqual([true, true]);
  });
});
