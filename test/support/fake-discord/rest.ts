import { messageProblems } from "./limits.js";
import { type FakeIds, message, pickMessageFields, snowflake, user } from "./payloads.js";
import type { RestResult, SentMessage, StoredMessage } from "./types.js";

const LOADING = 128;

export interface InteractionState {
  id: string;
  token: string;
  /** The clicked message, for a button. */
  message: StoredMessage | null;
  acked: boolean;
  originalId: string | null;
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

  constructor(
    private readonly ids: FakeIds,
    private readonly botToken: string,
    private readonly gatewayUrl: () => string,
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

  private createChannelMessage(channelId: string, body: unknown): RestResult {
    if (channelId !== this.ids.channel) return error(404, 10003, "Unknown Channel");
    const invalid = checkMessage(body, true);
    if (invalid) return invalid;
    return ok(this.store(message(this.ids, body as Record<string, unknown>)));
  }

  private findMessage(channelId: string, id: string): RestResult {
    const found = this.messages.get(id);
    return found && found.channel_id === channelId ? ok(found) : error(404, 10008, "Unknown Message");
  }

  private editChannelMessage(channelId: string, id: string, req: RestRequest): RestResult {
    const found = this.messages.get(id);
    if (!found || found.channel_id !== channelId) return error(404, 10008, "Unknown Message");
    return this.edit(found, req.body);
  }

  private deleteMessage(channelId: string, id: string): RestResult {
    const found = this.messages.get(id);
    if (!found || found.channel_id !== channelId) return error(404, 10008, "Unknown Message");
    this.messages.delete(id);
    return { status: 204 };
  }

  private callback(id: string, token: string, req: RestRequest): RestResult {
    const interaction = this.interactions.get(id);
    if (!interaction || interaction.token !== token) return error(404, 10062, "Unknown interaction");
    if (interaction.acked) return error(400, 40060, "Interaction has already been acknowledged.");
    const body = (req.body ?? {}) as { type?: number; data?: SentMessage };
    const data = body.data ?? {};
    let resource: StoredMessage | null = null;
    switch (body.type) {
      case 4: {
        const invalid = checkMessage(data, true);
        if (invalid) return invalid;
        resource = this.store(message(this.ids, { ...data }, { webhook: true, interaction: id }));
        interaction.originalId = resource.id;
        break;
      }
      case 5:
        resource = this.store(
          message(this.ids, { flags: data.flags ?? 0 }, { webhook: true, interaction: id, flags: LOADING }),
        );
        interaction.originalId = resource.id;
        break;
      case 6:
        resource = interaction.message;
        break;
      case 7: {
        if (!interaction.message) return error(400, 50035, "Invalid Form Body: not a component interaction");
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

  /** `@original` is the deferred or sent reply, or for a button the clicked message. */
  private original(token: string, id: string): StoredMessage | undefined {
    const interaction = this.byToken(token);
    if (!interaction?.acked) return undefined;
    const messageId = id === "@original" ? (interaction.originalId ?? interaction.message?.id) : id;
    return messageId ? this.messages.get(messageId) : undefined;
  }

  private webhookGet(token: string, id: string): RestResult {
    const found = this.original(token, id);
    return found ? ok(found) : error(404, 10008, "Unknown Message");
  }

  private webhookEdit(token: string, id: string, req: RestRequest): RestResult {
    if (!this.byToken(token)) return error(404, 10015, "Unknown Webhook");
    const found = this.original(token, id);
    if (!found) return error(404, 10008, "Unknown Message");
    return this.edit(found, req.body, LOADING);
  }

  private webhookDelete(token: string, id: string): RestResult {
    const found = this.original(token, id);
    if (!found) return error(404, 10008, "Unknown Message");
    this.messages.delete(found.id);
    return { status: 204 };
  }

  private followUp(token: string, body: unknown): RestResult {
    const interaction = this.byToken(token);
    if (!interaction) return error(404, 10015, "Unknown Webhook");
    if (!interaction.acked) return error(400, 40060, "Interaction has not been acknowledged.");
    const invalid = checkMessage(body, true);
    if (invalid) return invalid;
    return ok(this.store(message(this.ids, body as Record<string, unknown>, { webhook: true })));
  }

  private putCommands(app: string, guild: string, body: unknown): RestResult {
    if (app !== this.ids.app || guild !== this.ids.guild) return error(404, 10002, "Unknown Application");
    if (!Array.isArray(body)) return error(400, 50035, "Invalid Form Body: expected an array");
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

function ok(body: unknown): RestResult {
  return { status: 200, body };
}

function error(status: number, code: number, text: string): RestResult {
  return { status, body: { message: text, code } };
}
