import type { FakeGuild } from "./guild.js";
import { channel, type FakeIds, member, snowflake } from "./payloads.js";

export type OptionValue = string | number | boolean;

/** How an option value travels: string 3, integer 4, boolean 5, number 10. */
function optionType(value: OptionValue): number {
  if (typeof value === "string") return 3;
  if (typeof value === "boolean") return 5;
  return Number.isInteger(value) ? 4 : 10;
}

export interface Where {
  guild: FakeGuild;
  /** The channel the user acts in; the alert channel unless a test says otherwise. */
  channelId: string;
}

function base(ids: FakeIds, where: Where, userId: string, roles: string[]) {
  return {
    id: snowflake(),
    application_id: ids.app,
    token: `itoken-${snowflake()}`,
    version: 1,
    guild_id: ids.guild,
    guild: { id: ids.guild, locale: "en-US", features: [] },
    channel: channel(where.guild, where.channelId),
    channel_id: where.channelId,
    member: member(userId, roles),
    app_permissions: String(where.guild.permissionsIn(where.channelId, ids.bot)),
    locale: "en-US",
    guild_locale: "en-US",
    // discord.js throws inside its socket handler without these two.
    entitlements: [],
    authorizing_integration_owners: { "0": ids.guild },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}

export function slashCommandPayload(
  ids: FakeIds,
  where: Where,
  commandId: string,
  args: { userId: string; name: string; options?: Record<string, OptionValue>; roles?: string[] },
) {
  const options = Object.entries(args.options ?? {}).map(([name, value]) => ({
    name,
    type: optionType(value),
    value,
  }));
  return {
    ...base(ids, where, args.userId, args.roles ?? []),
    type: 2,
    data: { id: commandId, name: args.name, type: 1, guild_id: ids.guild, options },
  };
}

export function buttonPayload(
  ids: FakeIds,
  where: Where,
  args: { userId: string; customId: string; message: Record<string, unknown>; roles?: string[] },
) {
  return {
    ...base(ids, where, args.userId, args.roles ?? []),
    type: 3,
    message: args.message,
    data: { component_type: 2, custom_id: args.customId },
  };
}
