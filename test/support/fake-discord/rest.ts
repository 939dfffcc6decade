import { type FakeGuild, PERM } from "./guild.js";
import { messageProblems } from "./limits.js";
import {
  channel,
  type FakeIds,
  guildObject,
  member,
  message,
  pickMessageFields,
  snowflake,
  user,
} from "./payloads.js";
import { registrationProblems } from "./registration.js";
import { EPHEMERAL, type RestResult, type SentMessage, type StoredMessage } from "./types.js";

const LOADING = 128;
/** Discord wants the first answer to an interaction within 3 seconds. */
export const FIRST_RESPONSE_MS = 3_000;
/** An interaction token (follow-ups, edits of the reply) lives 15 minutes. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;
/** How long a nonce sent with enforce_nonce is remembered ("the past few minutes"). */
export const NONCE_WINDOW_MS = 5 * 60_000;

export interface InteractionState {
  id: string;
  token: string;
  channelId: string;
  /** The clicked message, for a button. */
  message: StoredMessage | null;
  acked: boolean;
  originalId: string | null;
  /** Fake time the interaction was created. */
  createdAt: number;
}

export interface RestRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The bot token from `Authorization: Bot <token>`, if any. */
  token: string | null;
}

/** The fake's REST state and its routes, answered the way Discord answers them. */
export class FakeRest {
  readonly messages = new Map<string, StoredMessage>();
  readonly interactions = new Map<string, InteractionState>();
  commands: Array<Record<string, unknown>> = [];
  /** Nonces sent with enforce_nonce, by channel: the message they created and when. */
  private readonly nonces = new Map<string, Map<string, { id: string; at: number }>>();

  constructor(
    private readonly ids: FakeIds,
    private readonly guild: FakeGuild,
    private readonly botToken: string,
    private readonly gatewayUrl: () => string,
    private readonly now: () => number,
  ) {}

  handle(req: RestRequest): RestResult {
    for (const [method, pattern, needsBot, route] of this.routes) {
      if (method !== req.method) continue;
      const match = pattern.exec(req.path);
      if (!match) continue;
      if (needsBot && req.token !== this.botToken) return error(401, 0, "401: Unauthorized");
      return route(req, match.slice(1));
    }
    return error(404, 0, "404: Not Found");
  }

  private readonly routes: Array<
    [string, RegExp, boolean, (req: RestRequest, params: string[]) => RestResult]
  > = [
    ["GET", /^\/gateway\/bot$/, true, () => ok(this.gatewayBot())],
    ["GET", /^\/gateway$/, false, () => ok({ url: this.gatewayUrl() })],
    ["GET", /^\/users\/@me$/, true, () => ok({ ...user(this.ids.bot, true), verified: true })],
    ["GET", /^\/guilds\/(\d+)$/, true, (_r, [g]) => this.getGuild(g!)],
    ["GET", /^\/guilds\/(\d+)\/members\/(\d+)$/, true, (_r, [g, u]) => this.getMember(g!, u!)],
    ["GET", /^\/channels\/(\d+)$/, true, (_r, [c]) => this.getChannel(c!)],
    ["POST", /^\/channels\/(\d+)\/messages$/, true, (r, [c]) => this.createChannelMessage(c!, r.body)],
    ["GET", /^\/channels\/(\d+)\/messages\/(\d+)$/, true, (_r, [c, m]) => this.findMessage(c!, m!)],
    [
      "PATCH",
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      true,
      (r, [c, m]) => this.editChannelMessage(c!, m!, r),
    ],
    ["DELETE", /^\/channels\/(\d+)\/messages\/(\d+)$/, true, (_r, [c, m]) => this.deleteMessage(c!, m!)],
    ["POST", /^\/interactions\/(\d+)\/([^/]+)\/callback$/, false, (r, [id, t]) => this.callback(id!, t!, r)],
    ["POST", /^\/webhooks\/(\d+)\/([^/]+)$/, false, (r, [, t]) => this.followUp(t!, r.body)],
    [
      "GET",
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/,
      false,
      (_r, [, t, m]) => this.webhookGet(t!, m!),
    ],
    [
      "PATCH",
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/,
      false,
      (r, [, t, m]) => this.webhookEdit(t!, m!, r),
    ],
    [
      "DELETE",
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/,
      false,
      (_r, [, t, m]) => this.webhookDelete(t!, m!),
    ],
    [
      "PUT",
      /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
      true,
      (r, [a, g]) => this.putCommands(a!, g!, r.body),
    ],
    ["GET", /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, true, () => ok(this.commands)],
  ];

  private gatewayBot() {
    return {
      url: this.gatewayUrl(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
    };
  }

  private getGuild(guildId: string): RestResult {
    if (guildId !== this.guild.id) return error(404, 10004, "Unknown Guild");
    return ok(guildObject(this.ids, this.guild));
  }

  private getMember(guildId: string, userId: string): RestResult {
    if (guildId !== this.guild.id) return error(404, 10004, "Unknown Guild");
    const roles = this.guild.memberRoles.get(userId);
    if (!roles) return error(404, 10007, "Unknown Member");
    return ok({ ...member(userId, roles), user: user(userId, userId === this.ids.bot) });
  }

  private getChannel(channelId: string): RestResult {
    const denied = this.access(channelId, 0n);
    return denied ?? ok(channel(this.guild, channelId));
  }

  /**
   * The bot's access to a channel: 404 10003 when there is no such channel, 403 50001 (Missing
   * Access) without View Channel, 403 50013 (Missing Permissions) without one of `need`.
   */
  private access(channelId: string, need: bigint): RestResult | null {
    if (!this.guild.channels.has(channelId)) return error(404, 10003, "Unknown Channel");
    if (!this.guild.can(channelId, this.ids.bot, PERM.viewChannel))
      return error(403, 50001, "Missing Access");
    if (!this.guild.can(channelId, this.ids.bot, need)) return error(403, 50013, "Missing Permissions");
    return null;
  }

  private createChannelMessage(channelId: string, body: unknown): RestResult {
    const sent = (body ?? {}) as SentMessage;
    const need = PERM.sendMessages | ((sent.embeds ?? []).length > 0 ? PERM.embedLinks : 0n);
    const denied = this.access(channelId, need);
    if (denied) return denied;
    const invalid = checkMessage(body, true);
    if (invalid) return invalid;
    const nonce = sent.enforce_nonce && sent.nonce !== undefined ? String(sent.nonce) : null;
    if (nonce !== null) {
      const seen = this.nonces.get(channelId)?.get(nonce);
      const existing =
        seen && this.now() - seen.at < NONCE_WINDOW_MS ? this.messages.get(seen.id) : undefined;
      if (existing) return ok(existing);
    }
    const stored = this.store(message(this.ids, body as Record<string, unknown>, { channelId }));
    if (nonce !== null) {
      const byNonce = this.nonces.get(channelId) ?? new Map();
      byNonce.set(nonce, { id: stored.id, at: this.now() });
      this.nonces.set(channelId, byNonce);
    }
    return ok(stored);
  }

  /** Reading a message needs Read Message History; an ephemeral one is nobody's to read. */
  private findMessage(channelId: string, id: string): RestResult {
    const denied = this.access(channelId, PERM.readMessageHistory);
    if (denied) return denied;
    const found = this.messages.get(id);
    if (!found || found.channel_id !== channelId || isEphemeralMessage(found)) {
      return error(404, 10008, "Unknown Message");
    }
    return ok(found);
  }

  private editChannelMessage(channelId: string, id: string, req: RestRequest): RestResult {
    const denied = this.access(channelId, 0n);
    if (denied) return denied;
    const found = this.messages.get(id);
    if (!found || found.channel_id !== channelId || isEphemeralMessage(found)) {
      return error(404, 10008, "Unknown Message");
    }
    return this.edit(found, req.body);
  }

  private deleteMessage(channelId: string, id: string): RestResult {
    const denied = this.access(channelId, 0n);
    if (denied) return denied;
    const found = this.messages.get(id);
    if (!found || found.channel_id !== channelId) return error(404, 10008, "Unknown Message");
    this.messages.delete(id);
    return { status: 204 };
  }

  private callback(id: string, token: string, req: RestRequest): RestResult {
    const interaction = this.interactions.get(id);
    if (!interaction || interaction.token !== token) return error(404, 10062, "Unknown interaction");
    if (interaction.acked) return error(400, 40060, "Interaction has already been acknowledged.");
    // Too late: Discord has already shown "The application did not respond".
    if (this.now() - interaction.createdAt > FIRST_RESPONSE_MS)
      return error(404, 10062, "Unknown interaction");
    const body = (req.body ?? {}) as { type?: number; data?: SentMessage };
    const data = body.data ?? {};
    const at = { webhook: true, interaction: id, channelId: interaction.channelId };
    let resource: StoredMessage | null = null;
    switch (body.type) {
      case 4: {
        const invalid = checkMessage(data, true);
        if (invalid) return invalid;
        resource = this.store(message(this.ids, { ...data }, at));
        interaction.originalId = resource.id;
        break;
      }
      case 5:
        resource = this.store(message(this.ids, { flags: data.flags ?? 0 }, { ...at, flags: LOADING }));
        interaction.originalId = resource.id;
        break;
      case 6:
        if (!interaction.message) {
          return error(400, 50035, "Invalid Form Body: callback type 6 is only for component interactions");
        }
        resource = interaction.message;
        break;
      case 7: {
        if (!interaction.message) {
          return error(400, 50035, "Invalid Form Body: callback type 7 is only for component interactions");
        }
        const edited = this.edit(interaction.message, data);
        if (edited.status !== 200) return edited;
        resource = edited.body as StoredMessage;
        break;
      }
      default:
        return error(400, 50035, `Invalid Form Body: callback type ${String(body.type)}`);
    }
    interaction.acked = true;
    if (req.query.with_response !== "true") return { status: 204 };
    return ok({
      interaction: { id, type: interaction.message ? 3 : 2, response_message_id: resource?.id ?? null },
      resource: { type: body.type, message: resource },
    });
  }

  private byToken(token: string): InteractionState | undefined {
    for (const i of this.interactions.values()) if (i.token === token) return i;
    return undefined;
  }

  /** The interaction behind a webhook token, or the error Discord gives for an unknown or dead one. */
  private liveToken(token: string): InteractionState | RestResult {
    const interaction = this.byToken(token);
    if (!interaction) return error(404, 10015, "Unknown Webhook");
    if (this.now() - interaction.createdAt > TOKEN_LIFETIME_MS)
      return error(401, 50027, "Invalid Webhook Token");
    return interaction;
  }

  /** `@original` is the deferred or sent reply, or for a button the clicked message. */
  private original(token: string, id: string): StoredMessage | undefined {
    const interaction = this.byToken(token);
    if (!interaction?.acked) return undefined;
    const messageId = id === "@original" ? (interaction.originalId ?? interaction.message?.id) : id;
    return messageId ? this.messages.get(messageId) : undefined;
  }

  private webhookGet(token: string, id: string): RestResult {
    const live = this.liveToken(token);
    if ("status" in live) return live;
    const found = this.original(token, id);
    return found ? ok(found) : error(404, 10008, "Unknown Message");
  }

  private webhookEdit(token: string, id: string, req: RestRequest): RestResult {
    const live = this.liveToken(token);
    if ("status" in live) return live;
    const found = this.original(token, id);
    if (!found) return error(404, 10008, "Unknown Message");
    return this.edit(found, req.body, LOADING);
  }

  private webhookDelete(token: string, id: string): RestResult {
    const live = this.liveToken(token);
    if ("status" in live) return live;
    const found = this.original(token, id);
    if (!found) return error(404, 10008, "Unknown Message");
    this.messages.delete(found.id);
    return { status: 204 };
  }

  /**
   * A follow-up right after a deferred reply is not a new message: it fills in the loading
   * reply, which keeps the visibility chosen at the defer (its own ephemeral flag is ignored).
   */
  private followUp(token: string, body: unknown): RestResult {
    const interaction = this.liveToken(token);
    if ("status" in interaction) return interaction;
    if (!interaction.acked) return error(400, 40060, "Interaction has not been acknowledged.");
    const invalid = checkMessage(body, true);
    if (invalid) return invalid;
    const loading = interaction.originalId ? this.messages.get(interaction.originalId) : undefined;
    if (loading && Number(loading.flags ?? 0) & LOADING) {
      const { flags: _ignored, ...rest } = (body ?? {}) as SentMessage;
      return this.edit(loading, rest, LOADING);
    }
    const at = { webhook: true, channelId: interaction.channelId };
    return ok(this.store(message(this.ids, body as Record<string, unknown>, at)));
  }

  private putCommands(app: string, guild: string, body: unknown): RestResult {
    if (app !== this.ids.app || guild !== this.ids.guild) return error(404, 10002, "Unknown Application");
    const problems = registrationProblems(body);
    if (problems.length > 0 || !Array.isArray(body)) {
      return error(400, 50035, `Invalid Form Body: ${problems.join("; ")}`);
    }
    this.commands = body.map((c: Record<string, unknown>) => ({
      id: snowflake(),
      application_id: app,
      guild_id: guild,
      version: snowflake(),
      type: 1,
      default_member_permissions: null,
      nsfw: false,
      ...c,
    }));
    return ok(this.commands);
  }

  storeMessage(fields: SentMessage): StoredMessage {
    return this.store(message(this.ids, { ...fields }));
  }

  private edit(target: StoredMessage, body: unknown, clearFlags = 0): RestResult {
    const invalid = checkMessage(body, false);
    if (invalid) return invalid;
    Object.assign(target, pickMessageFields(body as Record<string, unknown>), {
      edited_timestamp: new Date().toISOString(),
      flags: Number(target.flags ?? 0) & ~clearFlags,
    });
    return ok(target);
  }

  private store(m: ReturnType<typeof message>): StoredMessage {
    const stored = m as StoredMessage;
    this.messages.set(stored.id, stored);
    return stored;
  }
}

function checkMessage(body: unknown, creating: boolean): RestResult | null {
  const problems = messageProblems((body ?? {}) as SentMessage, creating);
  if (problems.length === 0) return null;
  return error(400, 50035, `Invalid Form Body: ${problems.join("; ")}`);
}

function isEphemeralMessage(m: StoredMessage): boolean {
  return (Number(m.flags ?? 0) & EPHEMERAL) !== 0;
}

function ok(body: unknown): RestResult {
  return { status: 200, body };
}

function error(status: number, code: number, text: string): RestResult {
  return { status, body: { message: text, code } };
}
