import { afterEach, describe, expect, it } from "vitest";
import { DiscordSetupError } from "../../src/bot/discord/setup-check.js";
import { PERM } from "../support/fake-discord/index.js";
import { type Bot, type BotOptions, startBot } from "./harness.js";

/** Starts the adapter against the fake and returns the set-up problems it refused to start with. */
async function problemsOf(opts: BotOptions, arrange?: (bot: Bot) => void): Promise<string[]> {
  bot = await startBot({ ...opts, start: false });
  arrange?.(bot);
  const err = await bot.chat.start().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DiscordSetupError)) throw new Error(`expected set-up problems, got ${String(err)}`);
  return err.problems;
}

let bot: Bot;
afterEach(() => bot?.close());

describe("the start-up check of the server, channel and permissions", () => {
  it("starts when the bot may view, post, embed and read history in the channel", async () => {
    bot = await startBot();
    expect(bot.logs.some((l) => l.msg === "discord: connected")).toBe(true);
    expect(bot.fake.gateway.identifies).toBe(1);
  });

  it("names the channel when DISCORD_CHANNEL_ID is wrong, and does not log in", async () => {
    const problems = await problemsOf({ config: { channelId: "123456789012345678" } });
    expect(problems).toEqual([expect.stringMatching(/^DISCORD_CHANNEL_ID: .*123456789012345678/)]);
    expect(bot.fake.gateway.identifies).toBe(0);
    expect(bot.fatal).toHaveLength(1);
  });

  it("names the server when the bot is not in DISCORD_GUILD_ID", async () => {
    const problems = await problemsOf({ config: { guildId: "223456789012345678" } });
    expect(problems).toEqual([
      expect.stringMatching(/^DISCORD_GUILD_ID: the bot is not in server 223456789012345678/),
    ]);
  });

  it("says the bot cannot see the channel without View Channel", async () => {
    const problems = await problemsOf({}, (b) => {
      b.fake.denyBot(PERM.viewChannel);
    });
    expect(problems).toEqual([
      expect.stringMatching(/^DISCORD_CHANNEL_ID: the bot cannot see channel \d+; give it View Channel/),
    ]);
  });

  it("names each missing permission on its own line", async () => {
    const problems = await problemsOf({}, (b) => b.fake.denyBot(PERM.embedLinks | PERM.readMessageHistory));
    expect(problems).toEqual([
      expect.stringMatching(/^Discord: the bot lacks Embed Links in #trading \(DISCORD_CHANNEL_ID \d+\)/),
      expect.stringMatching(/^Discord: the bot lacks Read Message History in #trading/),
    ]);
  });

  it("refuses an alert role the bot could not ping", async () => {
    const problems = await problemsOf({ config: (fake) => ({ alertRoleId: fake.ids.roles.alerts }) }, (b) =>
      b.fake.unmentionableAlertRole(),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^DISCORD_ALERT_ROLE_ID: the bot cannot ping @alerts in #trading: make the role mentionable/,
      ),
    ]);
  });

  it("says every problem in the error's message, one line each", async () => {
    await problemsOf({}, (b) => b.fake.denyBot(PERM.sendMessages | PERM.embedLinks));
    const [err] = bot.fatal;
    const lines = err?.message.split("\n") ?? [];
    expect(lines[0]).toBe("Discord set-up problems (fix these and start again):");
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}Discord: the bot lacks Send Messages/),
      expect.stringMatching(/^ {2}Discord: the bot lacks Embed Links/),
    ]);
  });
});
