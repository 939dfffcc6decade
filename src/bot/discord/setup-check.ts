import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIOverwrite,
  type APIUser,
  PermissionFlagsBits,
  type REST,
  Routes,
} from "discord.js";
import type { DiscordConfig } from "../../config.js";
import { DiscordFatalError, rejectedTokenError } from "./discord-errors.js";

/** What the bot needs in the alert channel, and why (the words the operator reads). */
export const CHANNEL_PERMISSIONS = [
  ["View Channel", PermissionFlagsBits.ViewChannel, "to see the channel at all"],
  ["Send Messages", PermissionFlagsBits.SendMessages, "to post alerts and approvals"],
  ["Embed Links", PermissionFlagsBits.EmbedLinks, "alerts are embeds"],
  ["Read Message History", PermissionFlagsBits.ReadMessageHistory, "to work with its earlier posts"],
] as const;

const ALL = (1n << 53n) - 1n;

export interface PermissionInputs {
  userId: string;
  guildId: string;
  ownerId: string;
  /** Every role of the server with its permissions (the @everyone role's id is the server's). */
  roles: ReadonlyArray<{ id: string; permissions: string }>;
  memberRoleIds: readonly string[];
  overwrites: readonly APIOverwrite[];
}

/**
 * A member's permissions in a channel, the way Discord computes them: @everyone and the
 * member's roles (Administrator means everything), then the channel's overwrites for
 * @everyone, for the member's roles together, and for the member.
 */
export function channelPermissions(p: PermissionInputs): bigint {
  if (p.userId === p.ownerId) return ALL;
  const perms = new Map(p.roles.map((r) => [r.id, BigInt(r.permissions)]));
  let base = perms.get(p.guildId) ?? 0n;
  for (const id of p.memberRoleIds) base |= perms.get(id) ?? 0n;
  if (base & PermissionFlagsBits.Administrator) return ALL;
  const apply = (o: { allow: bigint; deny: bigint }) => {
    base = (base & ~o.deny) | o.allow;
  };
  const parse = (o: APIOverwrite) => ({ allow: BigInt(o.allow), deny: BigInt(o.deny) });
  const everyone = p.overwrites.find((o) => o.id === p.guildId);
  if (everyone) apply(parse(everyone));
  const roles = { allow: 0n, deny: 0n };
  for (const o of p.overwrites) {
    if (o.type === 0 && p.memberRoleIds.includes(o.id)) {
      roles.allow |= BigInt(o.allow);
      roles.deny |= BigInt(o.deny);
    }
  }
  apply(roles);
  const own = p.overwrites.find((o) => o.type === 1 && o.id === p.userId);
  if (own) apply(parse(own));
  return base;
}

/** Discord answered, and the settings are wrong: one line per problem; the bot stops with exit 2. */
export class DiscordSetupError extends DiscordFatalError {
  constructor(readonly problems: string[]) {
    super(
      0,
      `Discord set-up problems (fix these and start again):\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
    this.name = "DiscordSetupError";
  }
}

type Config = Pick<DiscordConfig, "guildId" | "channelId" | "alertRoleId">;

/**
 * Fetches the server, the channel and the bot's member there and checks what the bot may do
 * in the alert channel. Resolves with the problems (none: all is well); throws a fatal error
 * for a rejected token, and any other error when Discord could not be asked (try again later).
 */
export async function setupProblems(rest: REST, config: Config): Promise<string[]> {
  const me = (await answer(rest.get(Routes.user("@me")))) as APIUser | Refused;
  if (isRefused(me)) throw rejectedTokenError();
  const guild = (await answer(rest.get(Routes.guild(config.guildId)))) as APIGuild | Refused;
  if (isRefused(guild)) {
    return [
      `DISCORD_GUILD_ID: the bot is not in server ${config.guildId}, or there is no such server; ` +
        "invite the bot (scopes bot and applications.commands) or copy the right id (Developer Mode, then Copy Server ID)",
    ];
  }
  const member = (await answer(rest.get(Routes.guildMember(config.guildId, me.id)))) as
    | APIGuildMember
    | Refused;
  if (isRefused(member)) return [`DISCORD_GUILD_ID: the bot is not a member of server ${guild.name}`];
  const channel = (await answer(rest.get(Routes.channel(config.channelId)))) as APIChannel | Refused;
  if (isRefused(channel)) {
    return [
      channel.status === 403
        ? `DISCORD_CHANNEL_ID: the bot cannot see channel ${config.channelId}; give it View Channel there`
        : `DISCORD_CHANNEL_ID: there is no channel ${config.channelId} the bot can reach; ` +
          "copy the alert channel's id (Developer Mode, then Copy Channel ID)",
    ];
  }
  const name = "name" in channel && channel.name ? `#${channel.name}` : "the channel";
  if (!("guild_id" in channel) || channel.guild_id !== config.guildId) {
    return [
      `DISCORD_CHANNEL_ID: channel ${config.channelId} (${name}) is not in server ${guild.name} (DISCORD_GUILD_ID ${config.guildId})`,
    ];
  }
  const have = channelPermissions({
    userId: me.id,
    guildId: guild.id,
    ownerId: guild.owner_id,
    roles: guild.roles,
    memberRoleIds: member.roles,
    overwrites: ("permission_overwrites" in channel ? channel.permission_overwrites : undefined) ?? [],
  });
  const where = `in ${name} (DISCORD_CHANNEL_ID ${config.channelId})`;
  const problems = CHANNEL_PERMISSIONS.filter(([, bit]) => (have & bit) !== bit).map(
    ([label, , why]) =>
      `Discord: the bot lacks ${label} ${where} (${why}); grant it to the bot's role in the channel's Permissions`,
  );
  if (config.alertRoleId) problems.push(...alertRoleProblems(guild, config.alertRoleId, have, name));
  return problems;
}

function alertRoleProblems(guild: APIGuild, roleId: string, have: bigint, channel: string): string[] {
  const role = guild.roles.find((r) => r.id === roleId);
  if (!role) return [`DISCORD_ALERT_ROLE_ID: server ${guild.name} has no role ${roleId}`];
  if (role.mentionable || (have & PermissionFlagsBits.MentionEveryone) !== 0n) return [];
  return [
    `DISCORD_ALERT_ROLE_ID: the bot cannot ping @${role.name} in ${channel}: make the role mentionable ` +
      '(Server Settings > Roles) or give the bot "Mention @everyone, @here, and All Roles"',
  ];
}

interface Refused {
  refused: true;
  status: number;
}

function isRefused(x: unknown): x is Refused {
  return typeof x === "object" && x !== null && (x as Refused).refused === true;
}

/** The answer, or a refusal for 401/403/404; other failures (5xx, network) are thrown. */
async function answer(request: Promise<unknown>): Promise<unknown> {
  try {
    return await request;
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (status === 401 || status === 403 || status === 404)
      return { refused: true, status } satisfies Refused;
    throw err;
  }
}
