import { EVERYONE_PERMISSIONS, FakeGuild, type FakeRole } from "./guild.js";

/** Discord API objects as the real API sends them, trimmed to what discord.js reads. */

// Discord's epoch (2015-01-01) and a fixed start keep ids realistic and stable between runs.
const DISCORD_EPOCH = 1_420_070_400_000n;
const START = 1_767_225_600_000n; // 2026-01-01
let sequence = 0n;

/** A fresh snowflake id, as a string like every id on the wire. */
export function snowflake(): string {
  sequence += 1n;
  return (((START - DISCORD_EPOCH) << 22n) | (sequence & 0x3fffffn)).toString();
}

export const GUILD_TEXT = 0;
/** View channel, send messages, embed links, read history, mention everyone, use application commands. */
export const MEMBER_PERMISSIONS = "2251800350408256";

export interface FakeIds {
  app: string;
  bot: string;
  guild: string;
  /** The alert channel the bot is configured with. */
  channel: string;
  /** Another channel of the same server (#general). */
  otherChannel: string;
  owner: string;
  /** `bot` is the bot's own (managed) role. */
  roles: { everyone: string; operator: string; alerts: string; bot: string };
}

export function newIds(): FakeIds {
  const guild = snowflake();
  return {
    app: snowflake(),
    bot: snowflake(),
    guild,
    channel: snowflake(),
    otherChannel: snowflake(),
    owner: snowflake(),
    roles: { everyone: guild, operator: snowflake(), alerts: snowflake(), bot: snowflake() },
  };
}

/** The fake's server as it starts: @everyone may post, embed and read; the alerts role is mentionable. */
export function newGuild(ids: FakeIds): FakeGuild {
  const guild = new FakeGuild(ids.guild, ids.owner);
  const role = (id: string, name: string, position: number, permissions: bigint) =>
    guild.addRole({ id, name, position, permissions, mentionable: true });
  role(ids.roles.everyone, "@everyone", 0, EVERYONE_PERMISSIONS);
  role(ids.roles.operator, "operator", 1, EVERYONE_PERMISSIONS);
  role(ids.roles.alerts, "alerts", 2, 0n);
  role(ids.roles.bot, "tradewarden", 3, 0n);
  guild.memberRoles.set(ids.bot, [ids.roles.bot]);
  guild.addChannel(ids.channel, "trading");
  guild.addChannel(ids.otherChannel, "general");
  return guild;
}

export function user(id: string, bot = false) {
  return {
    id,
    username: bot ? "tradewarden" : `user${id.slice(-4)}`,
    discriminator: "0",
    global_name: bot ? null : `User ${id.slice(-4)}`,
    avatar: null,
    bot,
    system: false,
    public_flags: 0,
  };
}

export function member(id: string, roles: string[]) {
  return {
    user: user(id),
    roles,
    nick: null,
    avatar: null,
    joined_at: "2026-01-02T00:00:00.000Z",
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    permissions: MEMBER_PERMISSIONS,
  };
}

function role(r: FakeRole) {
  return {
    id: r.id,
    name: r.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: r.position,
    permissions: String(r.permissions),
    managed: r.name === "tradewarden",
    mentionable: r.mentionable,
    flags: 0,
  };
}

export function channel(guild: FakeGuild, id: string) {
  const c = guild.channels.get(id);
  return {
    id,
    type: GUILD_TEXT,
    guild_id: guild.id,
    name: c?.name ?? "unknown",
    position: 0,
    permission_overwrites: (c?.overwrites ?? []).map((o) => ({
      id: o.id,
      type: o.type,
      allow: String(o.allow),
      deny: String(o.deny),
    })),
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
  };
}

/** GET /guilds/{id}: the server and its roles. */
export function guildObject(ids: FakeIds, g: FakeGuild) {
  return {
    id: g.id,
    name: "tradewarden test",
    icon: null,
    owner_id: ids.owner,
    roles: [...g.roles.values()].map(role),
    emojis: [],
    stickers: [],
    features: [],
    preferred_locale: "en-US",
  };
}

export function guildCreate(ids: FakeIds, g: FakeGuild) {
  const { guild, owner, bot } = ids;
  return {
    id: guild,
    name: "tradewarden test",
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: owner,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [...g.roles.values()].map(role),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: "en-US",
    nsfw_level: 0,
    max_video_channel_users: 25,
    joined_at: "2026-01-02T00:00:00.000Z",
    large: false,
    unavailable: false,
    member_count: 3,
    voice_states: [],
    members: [{ ...member(bot, g.memberRoles.get(bot) ?? []), user: user(bot, true) }],
    channels: [...g.channels.keys()].map((id) => channel(g, id)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function ready(ids: FakeIds, sessionId: string, resumeUrl: string) {
  return {
    v: 10,
    user: { ...user(ids.bot, true), verified: true, mfa_enabled: false, flags: 0 },
    guilds: [{ id: ids.guild, unavailable: true }],
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard: [0, 1],
    application: { id: ids.app, flags: 0 },
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    user_settings: {},
  };
}

/** A message as the API returns it; `fields` comes from the bot's request body. */
export function message(
  ids: FakeIds,
  fields: Record<string, unknown>,
  extra: { webhook?: boolean; flags?: number; interaction?: string; channelId?: string } = {},
) {
  return {
    id: snowflake(),
    type: extra.interaction ? 20 : 0,
    channel_id: extra.channelId ?? ids.channel,
    guild_id: ids.guild,
    author: user(ids.bot, true),
    content: "",
    embeds: [],
    components: [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    ...(extra.webhook ? { webhook_id: ids.app, application_id: ids.app } : {}),
    ...pickMessageFields(fields),
    flags: Number(fields.flags ?? 0) | (extra.flags ?? 0),
  };
}

const MESSAGE_FIELDS = ["content", "embeds", "components", "tts", "nonce"] as const;

/** The parts of a create/edit body that show up on the message. */
export function pickMessageFields(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of MESSAGE_FIELDS) if (body[key] !== undefined) out[key] = body[key];
  return out;
}
