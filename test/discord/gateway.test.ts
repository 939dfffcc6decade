import { afterEach, describe, expect, it } from "vitest";
import { DiscordFatalError } from "../../src/bot/discord/discord-errors.js";
import { type Bot, OPERATOR, startBot } from "./harness.js";

describe("the gateway connection", () => {
  let bot: Bot;
  afterEach(() => bot?.close());

  it("resumes after Discord asks it to reconnect (op 7) and keeps answering", async () => {
    bot = await startBot();
    const resumed = bot.fake.nextGatewayEvent("resumed");
    bot.fake.requestReconnect();
    await resumed;

    const answer = await bot.fake.slashCommand({ userId: OPERATOR, name: "status" }).answer();
    expect(answer.embeds[0]?.title).toContain("DISCONNECTED");
    expect(bot.fake.gateway.identifies).toBe(1);
  });

  it("survives a dropped connection, including a command sent while it was down", async () => {
    bot = await startBot();
    const resumed = bot.fake.nextGatewayEvent("resumed");
    bot.fake.dropGateway();
    // Discord holds the event and replays it on resume.
    const handle = bot.fake.slashCommand({ userId: OPERATOR, name: "status" });
    await resumed;

    expect((await handle.answer()).embeds[0]?.title).toContain("DISCONNECTED");
    const after = await bot.fake.slashCommand({ userId: OPERATOR, name: "status" }).answer();
    expect(after.embeds[0]?.author?.name).toBe("PAPER");
  });

  it("stops with a clear message when the gateway rejects the token (4004)", async () => {
    bot = await startBot({ start: false });
    bot.fake.failIdentify(4004);

    const failure = await bot.chat.start().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DiscordFatalError);
    expect((failure as Error).message).toBe(
      "Discord rejected the bot token (4004): check DISCORD_TOKEN (Developer Portal, Bot, Reset Token).",
    );
    expect(bot.fatal.map((e) => e.code)).toEqual([4004]);
    expect(bot.logs.some((l) => l.msg === (failure as Error).message)).toBe(true);
    expect(bot.fake.gateway.identifies).toBe(1);
    await expect(
      bot.chat.deliver({
        id: 1,
        alert: { type: "degraded", reason: "x" },
        severity: "urgent",
        createdAt: new Date(),
      }),
    ).rejects.toBe(failure);
  });

  it("stops when Discord refuses the token at login over REST (401)", async () => {
    bot = await startBot({ start: false, config: { token: "MTEx.wrong.token-that-discord-does-not-know" } });
    const failure = await bot.chat.start().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DiscordFatalError);
    expect((failure as Error).message).toContain("Discord rejected the bot token (401): check DISCORD_TOKEN");
  });

  it("reports a fatal close while running (4014) instead of reconnecting forever", async () => {
    bot = await startBot();
    const closed = bot.fake.nextGatewayEvent("closed");
    bot.fake.closeGateway(4014, "Disallowed intent(s).");
    await closed;

    await expect.poll(() => bot.fatal.map((e) => e.code)).toEqual([4014]);
    expect(bot.fatal[0]?.message).toContain("Discord refused a privileged intent (4014)");
    expect(bot.chat.fatal).toBe(bot.fatal[0]);
  });
});
