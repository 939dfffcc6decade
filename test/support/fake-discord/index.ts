import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultPlan } from "./faults.js";
import { FakeGateway } from "./gateway.js";
import { type FakeGuild, PERM } from "./guild.js";
import { InteractionHandle } from "./interaction-handle.js";
import { buttonPayload, type OptionValue, slashCommandPayload } from "./interactions.js";
import { type FakeIds, newGuild, newIds, snowflake } from "./payloads.js";
import { DEFAULT_RATE_LIMIT, type RateLimitOptions, RateLimits } from "./rate-limits.js";
import { FakeRest } from "./rest.js";
import type { RecordedRequest, SentMessage, StoredMessage } from "./types.js";

export { PERM } from "./guild.js";
export { FIRST_RESPONSE_MS, NONCE_WINDOW_MS, TOKEN_LIFETIME_MS } from "./rest.js";
export type { Answer, RecordedRequest, SentEmbed, SentMessage, StoredMessage } from "./types.js";
export { EPHEMERAL } from "./types.js";
export { InteractionHandle };

export interface FakeDiscordOptions {
  /** The bot token the fake accepts. */
  token?: string;
  heartbeatMs?: number;
  /**
   * The fake's clock for Discord's deadlines (3 s first answer, 15 min token, nonce window,
   * rate-limit windows); real time unless a test moves its own.
   */
  now?: () => number;
  rateLimit?: RateLimitOptions;
  /** Privileged intents switched on in the Developer Portal (bits); none by default. */
  privilegedIntents?: number;
}

export const FAKE_TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAx.GfakeX.fake-token-for-tests-only-000000";

/**
 * A Discord for tests on 127.0.0.1: REST under `${apiUrl}/v10` and a gateway, reached by the
 * real discord.js client through `new Client({ rest: { api: fake.apiUrl } })`. It records
 * every REST call and offers user actions (slash commands, button clicks) and faults.
 */
export class FakeDiscord extends EventEmitter {
  readonly ids: FakeIds = newIds();
  readonly token: string;
  readonly requests: RecordedRequest[] = [];
  readonly gateway: FakeGateway;
  /** The server: roles, channels and their permission overwrites. */
  readonly guild: FakeGuild;
  readonly now: () => number;
  private readonly rest: FakeRest;
  private readonly rateLimits: RateLimits;
  private readonly server: Server;
  private readonly faults = new FaultPlan();
  private port = 0;

  private constructor(opts: FakeDiscordOptions) {
    super();
    this.token = opts.token ?? FAKE_TOKEN;
    this.now = opts.now ?? (() => performance.now());
    this.guild = newGuild(this.ids);
    const url = () => `ws://127.0.0.1:${this.port}/gateway`;
    this.rest = new FakeRest(this.ids, this.guild, this.token, url, this.now);
    this.rateLimits = new RateLimits(opts.rateLimit ?? DEFAULT_RATE_LIMIT, this.now);
    this.gateway = new FakeGateway({
      ids: this.ids,
      guild: this.guild,
      token: this.token,
      url,
      heartbeatMs: opts.heartbeatMs ?? 5000,
      privilegedIntents: opts.privilegedIntents ?? 0,
    });
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.on("upgrade", (req, socket, head) => {
      if (req.url?.startsWith("/gateway") && !this.faults.down) this.gateway.upgrade(req, socket, head);
      else socket.destroy();
    });
  }

  static async start(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(opts);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** For `new Client({ rest: { api } })` and `DISCORD_API_URL`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** The environment that points a bot process at this fake, with one allowed user. */
  botEnv(allowedUserId: string): Record<string, string> {
    return {
      CHAT: "discord",
      DISCORD_TOKEN: this.token,
      DISCORD_APP_ID: this.ids.app,
      DISCORD_GUILD_ID: this.ids.guild,
      DISCORD_CHANNEL_ID: this.ids.channel,
      DISCORD_ALLOWED_USER_IDS: allowedUserId,
      DISCORD_API_URL: this.apiUrl,
    };
  }

  /** Stored messages by id: channel posts, replies and follow-ups as they look now. */
  message(id: string): StoredMessage | undefined {
    return this.rest.messages.get(id);
  }

  /** A message the bot posted earlier (e.g. an approval with buttons), without a REST call to record. */
  botMessage(fields: SentMessage): StoredMessage {
    return this.rest.storeMessage(fields);
  }

  /** The commands registered by the last bulk PUT. */
  get registeredCommands(): Array<Record<string, unknown>> {
    return this.rest.commands;
  }

  /**
   * Successful posts to the channel, oldest first: what the bot was told. A post whose answer
   * was lost is not here; `channelMessages()` shows what the channel holds.
   */
  channelPosts(): Array<{ request: RecordedRequest; body: SentMessage; message: StoredMessage }> {
    return this.requests
      .filter(
        (r) => r.method === "POST" && r.path === `/channels/${this.ids.channel}/messages` && r.status === 200,
      )
      .map((request) => ({
        request,
        body: request.body as SentMessage,
        message: request.response as StoredMessage,
      }));
  }

  /** What a reader of the channel sees: every message in it (posts and public replies), oldest first. */
  channelMessages(channelId = this.ids.channel): StoredMessage[] {
    return [...this.rest.messages.values()].filter(
      (m) => m.channel_id === channelId && (Number(m.flags ?? 0) & 64) === 0,
    );
  }

  // ---- the server's permissions ---------------------------------------------------------------

  /** Takes permissions (PERM bits) from the bot in a channel, as a channel overwrite on its role. */
  denyBot(bits: bigint, channelId = this.ids.channel): void {
    const c = this.guild.channels.get(channelId);
    if (!c) throw new Error(`fake discord: no channel ${channelId}`);
    c.overwrites = c.overwrites.filter((o) => o.id !== this.ids.roles.bot);
    c.overwrites.push({ id: this.ids.roles.bot, type: 0, allow: 0n, deny: bits });
  }

  /** Lets nobody mention the alerts role and takes Mention @everyone from @everyone. */
  unmentionableAlertRole(): void {
    const role = this.guild.roles.get(this.ids.roles.alerts);
    const everyone = this.guild.roles.get(this.ids.roles.everyone);
    if (role) role.mentionable = false;
    if (everyone) everyone.permissions &= ~PERM.mentionEveryone;
  }

  /** The first recorded request (after `afterSeq`) that matches; waits for it if needed. */
  waitForRequest(
    match: (r: RecordedRequest) => boolean,
    what: string,
    afterSeq = 0,
    limitMs = 10_000,
  ): Promise<RecordedRequest> {
    const found = this.requests.find((r) => r.seq > afterSeq && match(r));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onRequest = (r: RecordedRequest) => {
        if (r.seq <= afterSeq || !match(r)) return;
        clearTimeout(timer);
        this.off("request", onRequest);
        resolve(r);
      };
      // Only turns a hang into a readable failure; nothing asserts how long it took.
      const timer = setTimeout(() => {
        this.off("request", onRequest);
        const seen = this.requests.map((r) => `${r.method} ${r.path} -> ${r.status}`).join("\n  ");
        reject(new Error(`fake discord: no request for ${what}; saw:\n  ${seen}`));
      }, limitMs);
      this.on("request", onRequest);
    });
  }

  /** Resolves on the gateway's next event of that kind ("ready", "resumed", "identify", "closed", ...). */
  nextGatewayEvent<T = unknown>(event: string): Promise<T> {
    return new Promise((resolve) => this.gateway.once(event, resolve));
  }

  get lastSeq(): number {
    return this.requests.at(-1)?.seq ?? 0;
  }

  // ---- user actions -------------------------------------------------------------------------

  slashCommand(args: {
    userId: string;
    name: string;
    options?: Record<string, OptionValue>;
    roles?: string[];
    /** Where the user types it; the alert channel by default. */
    channelId?: string;
    /** The token is already dead, as when the bot answers after Discord's 3 seconds: callbacks get 10062. */
    expired?: boolean;
    /** false: Discord knows the interaction but no bot hears of it (tests of the fake's own rules). */
    deliver?: boolean;
  }): InteractionHandle {
    const registered = this.rest.commands.find((c) => c.name === args.name);
    const commandId = typeof registered?.id === "string" ? registered.id : snowflake();
    const channelId = args.channelId ?? this.ids.channel;
    const payload = slashCommandPayload(this.ids, { guild: this.guild, channelId }, commandId, args);
    return this.interact(payload, channelId, null, args.expired ?? false, args.deliver ?? true);
  }

  /** `message` is a message the bot posted (or its id); the click sees it as it is now. */
  clickButton(args: {
    userId: string;
    customId: string;
    message: StoredMessage | string;
    roles?: string[];
    deliver?: boolean;
  }): InteractionHandle {
    const id = typeof args.message === "string" ? args.message : args.message.id;
    const stored = this.rest.messages.get(id);
    if (!stored) throw new Error(`fake discord: no message ${id} to click on`);
    const where = { guild: this.guild, channelId: stored.channel_id };
    const payload = buttonPayload(this.ids, where, { ...args, message: stored });
    return this.interact(payload, stored.channel_id, stored, false, args.deliver ?? true);
  }

  private interact(
    payload: { id: string; token: string },
    channelId: string,
    message: StoredMessage | null,
    expired = false,
    deliver = true,
  ) {
    if (!expired) {
      this.rest.interactions.set(payload.id, {
        id: payload.id,
        token: payload.token,
        channelId,
        message,
        acked: false,
        originalId: null,
        createdAt: this.now(),
      });
    }
    const send = () => this.gateway.dispatch("INTERACTION_CREATE", payload);
    const handle = new InteractionHandle(this, payload, this.ids.app, message, this.lastSeq, send);
    if (deliver) send();
    return handle;
  }

  // ---- faults -------------------------------------------------------------------------------

  /**
   * The next `count` requests matching answer 429 with `Retry-After`. A string pattern is an
   * exact path ("/channels/1/messages") or "METHOD path"; a RegExp is tested on "METHOD path".
   */
  inject429(pathPattern: string | RegExp, retryAfterS: number, count = 1): void {
    this.faults.add429(pathPattern, retryAfterS, count);
  }

  inject5xx(pathPattern: string | RegExp, count = 1, status = 502): void {
    this.faults.add5xx(pathPattern, count, status);
  }

  /** An outage of channel posts: 503, or "reset" to drop the connection without an answer. */
  failAllPosts(on: boolean, how: "503" | "reset" = "503"): void {
    this.faults.setOutage(on ? how : null);
  }

  /**
   * The next `count` matching requests are carried out (a post is stored) and their answer is
   * dropped: the bot sees a reset, as after a timeout or a proxy failure.
   */
  loseAnswers(pathPattern: string | RegExp, count = 1): void {
    this.faults.addLostAnswers(pathPattern, count);
  }

  /** Drops the answer of each channel post with this probability (after storing it). */
  loseAnswersAtRate(rate: number, random?: () => number): void {
    this.faults.setLossRate(rate, random);
  }

  /** Discord unreachable: every REST request is dropped unanswered, gateway connections refused. */
  setDown(down: boolean): void {
    this.faults.down = down;
    if (down && this.gateway.connected) this.gateway.drop();
  }

  /** Answers the next IDENTIFYs by closing the gateway with `code` (4004, 4014, ...); null stops. */
  failIdentify(code: number | null): void {
    this.gateway.identifyCloseCode = code;
  }

  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  dropGateway(): void {
    this.gateway.drop();
  }

  closeGateway(code: number, reason?: string): void {
    this.gateway.close(code, reason);
  }

  async close(): Promise<void> {
    await this.gateway.shutdown();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rawPath = url.pathname.replace(/^\/api\/v\d+/, "");
    const path = decodeURIComponent(rawPath);
    const method = req.method ?? "GET";
    const record: RecordedRequest = {
      seq: this.requests.length + 1,
      at: performance.now(),
      method,
      path,
      rawPath,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseJson(raw),
      status: 0,
      response: undefined,
    };
    this.requests.push(record);

    if (this.faults.down) {
      req.socket.destroy();
      this.emit("request", record);
      return;
    }
    const token = botToken(req);
    // Interaction callbacks and webhooks are not bound by the bot's buckets.
    const limits = token ? this.rateLimits.take(method, path) : null;
    const result = limits?.limited
      ? limited(limits.headers)
      : (this.faults.take(method, path) ?? this.rest.handle({ ...record, token }));
    if (result === "reset" || (result.status < 300 && this.faults.loseAnswer(method, path))) {
      // Stored (if it was a post), but the answer never reaches the bot.
      if (result !== "reset") record.response = result.body;
      req.socket.destroy();
      this.emit("request", record);
      return;
    }
    record.status = result.status;
    record.response = result.body;
    res.writeHead(result.status, {
      ...(result.body === undefined ? {} : { "content-type": "application/json" }),
      ...limits?.headers,
      ...result.headers,
    });
    res.end(result.body === undefined ? undefined : JSON.stringify(result.body));
    this.emit("request", record);
  }
}

function limited(headers: Record<string, string>) {
  const retryAfter = Number(headers["retry-after"] ?? 1);
  return {
    status: 429,
    headers,
    body: { message: "You are being rate limited.", retry_after: retryAfter, global: false },
  };
}

function botToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization ?? "";
  return auth.startsWith("Bot ") ? auth.slice(4) : null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
