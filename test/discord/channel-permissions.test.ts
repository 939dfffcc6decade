import { PermissionFlagsBits as P } from "discord.js";
import { describe, expect, it } from "vitest";
import { channelPermissions, type PermissionInputs } from "../../src/bot/discord/setup-check.js";

const GUILD = "100000000000000001";
const BOT = "100000000000000002";
const ROLE = "100000000000000003";
const OTHER = "100000000000000004";
const BASIC = P.ViewChannel | P.SendMessages | P.EmbedLinks | P.ReadMessageHistory;

function inputs(p: Partial<PermissionInputs>): PermissionInputs {
  return {
    userId: BOT,
    guildId: GUILD,
    ownerId: OTHER,
    roles: [
      { id: GUILD, permissions: String(BASIC) },
      { id: ROLE, permissions: "0" },
    ],
    memberRoleIds: [ROLE],
    overwrites: [],
    ...p,
  };
}

const has = (bits: bigint, p: bigint) => (bits & p) === p;

describe("the bot's permissions in a channel (Discord's order: roles, then @everyone, role and member overwrites)", () => {
  it.each([
    ["@everyone's permissions with no overwrites", inputs({}), BASIC, 0n],
    [
      "a channel overwrite denying @everyone",
      inputs({ overwrites: [{ id: GUILD, type: 0, allow: "0", deny: String(P.SendMessages) }] }),
      P.ViewChannel,
      P.SendMessages,
    ],
    [
      "a role overwrite allowing back what @everyone's denies",
      inputs({
        overwrites: [
          { id: GUILD, type: 0, allow: "0", deny: String(P.SendMessages) },
          { id: ROLE, type: 0, allow: String(P.SendMessages), deny: "0" },
        ],
      }),
      P.SendMessages,
      0n,
    ],
    [
      "a member overwrite denying what the role allows",
      inputs({
        overwrites: [
          { id: ROLE, type: 0, allow: String(P.EmbedLinks), deny: "0" },
          { id: BOT, type: 1, allow: "0", deny: String(P.EmbedLinks) },
        ],
      }),
      P.ViewChannel,
      P.EmbedLinks,
    ],
    [
      "Administrator ignores every overwrite",
      inputs({
        roles: [
          { id: GUILD, permissions: "0" },
          { id: ROLE, permissions: String(P.Administrator) },
        ],
        overwrites: [{ id: BOT, type: 1, allow: "0", deny: String(BASIC) }],
      }),
      BASIC,
      0n,
    ],
    [
      "the server's owner may do everything",
      inputs({ ownerId: BOT, roles: [{ id: GUILD, permissions: "0" }] }),
      BASIC,
      0n,
    ],
    [
      "another role's overwrite does not apply",
      inputs({ overwrites: [{ id: "9", type: 0, allow: "0", deny: String(BASIC) }] }),
      BASIC,
      0n,
    ],
  ])("%s", (_what, p, present, absent) => {
    const bits = channelPermissions(p);
    expect(has(bits, present)).toBe(true);
    if (absent) expect(bits & absent).toBe(0n);
  });
});
