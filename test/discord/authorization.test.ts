import { afterEach, describe, expect, it } from "vitest";
import { authorize, refusalText } from "../../src/bot/discord/authorize.js";
import { buttonId } from "../../src/bot/discord/buttons.js";
import { audit } from "../../src/store/index.js";
import { waitUntil } from "../support/wait.js";
import { type Bot, OPERATOR, STRANGER, startBot } from "./harness.js";
import { withTestCommands } from "./test-commands.js";

/** The bot answers first and audits after (the 3-second rule), so the row may trail the reply. */
async function refusalAudited(bot: Bot) {
  return waitUntil(async () => {
    const events = await audit.recentAuditEvents(bot.store.db);
    return events.find((e) => e.action === "discord.refused");
  }, "the refusal in the audit log");
}

describe("who may use the bot", () => {
  let bot: Bot;
  afterEach(() => bot?.close());

  it("refuses a user who is not allow-listed, ephemerally, and audits it", async () => {
    bot = await startBot({ commands: withTestCommands });
    const answer = await bot.fake.slashCommand({ userId: STRANGER, name: "act" }).answer();

    expect(answer).toMatchObject({ callbackType: 4, ephemeral: true });
    expect(answer.content).toBe(
      `You are not allowed to use /act. Ask the operator to add your Discord user id (${STRANGER}) to DISCORD_ALLOWED_USER_IDS.`,
    );
    const event = await refusalAudited(bot);
    expect(event).toMatchObject({ actor: `discord:${STRANGER}`, action: "discord.refused" });
    expect(event?.detail).toMatchObject({ command: "/act" });
  });

  it("refuses a stranger's click on an approval button, and leaves the post as it was", async () => {
    bot = await startBot();
    const post = bot.fake.botMessage({
      content: "Approve the entry?",
      components: [
        {
          type: 1,
          components: [{ type: 2, style: 3, label: "Approve", custom_id: buttonId(7, "n0nce", "approve") }],
        },
      ],
    });
    const answer = await bot.fake
      .clickButton({ userId: STRANGER, customId: buttonId(7, "n0nce", "approve"), message: post })
      .answer();

    expect(answer).toMatchObject({ callbackType: 4, ephemeral: true });
    expect(answer.content).toContain("You are not allowed to decide approvals");
    expect(bot.fake.message(post.id)?.components[0]?.components?.[0]?.disabled).toBeUndefined();
    const event = await refusalAudited(bot);
    expect(event).toMatchObject({ actor: `discord:${STRANGER}`, action: "discord.refused" });
    expect(event?.detail).toMatchObject({ button: "ap:7:n0nce:approve" });
  });

  it("lets holders of the allowed role act, and refuses members without it", async () => {
    bot = await startBot({
      commands: withTestCommands,
      config: (fake) => ({ allowedUserIds: [], allowedRoleId: fake.ids.roles.operator }),
    });
    const role = bot.fake.ids.roles.operator;

    const allowed = await bot.fake.slashCommand({ userId: STRANGER, name: "act", roles: [role] }).answer();
    expect(allowed.content).toBe(`[PAPER] act by discord:${STRANGER} at the strategy's strike`);

    const refused = await bot.fake.slashCommand({ userId: STRANGER, name: "act", roles: [] }).answer();
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain(`or give you the <@&${role}> role`);
  });

  it("with DISCORD_PUBLIC_READ opens /status to every member but never a trading action", async () => {
    bot = await startBot({ commands: withTestCommands, config: { publicRead: true } });

    const status = await bot.fake.slashCommand({ userId: STRANGER, name: "status" }).answer();
    expect(status.embeds[0]?.title).toContain("DISCONNECTED");

    const entry = await bot.fake.slashCommand({ userId: STRANGER, name: "act" }).answer();
    expect(entry.ephemeral).toBe(true);
    expect(entry.content).toContain("You are not allowed to use /act");
  });

  it("without it, refuses /status to a stranger too", async () => {
    bot = await startBot();
    const answer = await bot.fake.slashCommand({ userId: STRANGER, name: "status" }).answer();
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toContain("You are not allowed to use /status");
  });

  it("lets an allow-listed user run a trading action", async () => {
    bot = await startBot({ commands: withTestCommands });
    const answer = await bot.fake
      .slashCommand({ userId: OPERATOR, name: "act", options: { strike: 624 } })
      .answer();
    expect(answer.content).toBe(`[PAPER] act by discord:${OPERATOR} at 624`);
  });
});

describe("authorize: only in the configured server", () => {
  const config = {
    guildId: "100000000000000001",
    allowedUserIds: [OPERATOR],
    allowedRoleId: "100000000000000002",
    publicRead: true,
  };
  it.each([
    ["a DM", null],
    ["another server that added the bot", "100000000000000009"],
  ])("refuses even an allow-listed operator in %s", (_where, guildId) => {
    expect(authorize(config, { userId: OPERATOR, roleIds: [], guildId }, false)).toEqual({ allowed: false });
    expect(authorize(config, { userId: OPERATOR, roleIds: [], guildId }, true)).toEqual({ allowed: false });
    expect(refusalText(config, "use /status", OPERATOR, guildId)).toBe(
      "You can only use /status in the bot's own server, not here. Use the command there.",
    );
  });

  it("lets the operator act in the configured server", () => {
    const caller = { userId: OPERATOR, roleIds: [], guildId: config.guildId };
    expect(authorize(config, caller, false)).toEqual({ allowed: true, as: "operator" });
  });
});
