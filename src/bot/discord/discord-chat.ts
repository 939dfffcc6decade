import {
  type APIMessage,
  Client,
  Events,
  GatewayIntentBits,
  RESTEvents,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from "discord.js";
import type { Clock } from "../../clock.js";
import type { DiscordConfig } from "../../config.js";
import type { Logger } from "../../log.js";
import type { Db } from "../../store/index.js";
import type { ChatPort, OutboxItem } from "../alert-dispatcher.js";
import type { Mode } from "../format.js";
import type { Ops } from "../ops.js";
import { alertPost, type Mentions, urgentMentions } from "./alert-post.js";
import { type ApprovalDesk, opsApprovalDesk } from "./approval-desk.js";
import { ApprovalPosts } from "./approval-posts.js";
import { builtinCommands, type CommandModule, commandRegistry } from "./commands/index.js";
import {
  type DiscordFatalError,
  describeRestError,
  fatalCloseError,
  isFatalCloseCode,
  rejectedTokenError,
} from "./discord-errors.js";
import { InteractionRouter } from "./router.js";

export interface DiscordChatDeps {
  config: DiscordConfig;
  mode: Mode;
  ops: Ops;
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Defaults to every built-in command. */
  commands?: readonly CommandModule[];
  /** Decides approval clicks and records approval posts; defaults to the Ops facade. */
  approvals?: ApprovalDesk;
  /** Called once when Discord refuses the bot for good (bad token, intents): the app should stop. */
  onFatal?: (error: DiscordFatalError) => void;
}

/**
 * The Discord chat adapter: owns the discord.js client, posts alerts to the channel and
 * answers slash commands and buttons through the router. Gateway drops and resumes are
 * discord.js's business; a refusal that reconnecting cannot fix stops the adapter.
 */
export class DiscordChat implements ChatPort {
  readonly client: Client;
  private readonly router: InteractionRouter;
  private readonly mentions: Mentions | null;
  private readonly approvalPosts: ApprovalPosts;
  private fatalError: DiscordFatalError | null = null;
  private rejectStart: ((err: Error) => void) | null = null;

  constructor(private readonly deps: DiscordChatDeps) {
    const { config, logger } = deps;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: config.apiUrl ? { api: config.apiUrl } : {},
      allowedMentions: { parse: [] },
    });
    // Alerts go over REST, which needs no gateway: set the token now so they flow during startup.
    this.client.rest.setToken(config.token);
    this.mentions = urgentMentions(config);
    const approvals = deps.approvals ?? opsApprovalDesk(deps.ops);
    this.router = new InteractionRouter({
      ...deps,
      commands: commandRegistry(deps.commands ?? builtinCommands),
      approvals,
    });
    this.approvalPosts = new ApprovalPosts({
      rest: this.client.rest,
      mode: deps.mode,
      mentions: this.mentions,
      desk: approvals,
      logger,
      post: (body) => this.post(body),
    });

    const client = this.client;
    // Without an 'error' listener, an error event would end the process.
    client.on(Events.Error, (err) => logger.error({ err }, "discord: client error"));
    client.on(Events.Warn, (message) => logger.warn({ message }, "discord: warning"));
    client.on(Events.ShardError, (err) => logger.warn({ err }, "discord: gateway connection error"));
    client.on(Events.ShardReconnecting, () => logger.info("discord: gateway reconnecting"));
    client.on(Events.ShardResume, (_id, replayed) => logger.info({ replayed }, "discord: gateway resumed"));
    client.on(Events.ShardDisconnect, (event) => {
      if (isFatalCloseCode(event.code)) this.fail(fatalCloseError(event.code));
      else logger.warn({ code: event.code }, "discord: gateway closed");
    });
    client.rest.on(RESTEvents.RateLimited, (info) =>
      logger.warn(
        { route: info.route, retryAfterMs: info.retryAfter },
        "discord: rate limited; discord.js retries",
      ),
    );
    client.on(Events.InteractionCreate, (interaction) => void this.router.route(interaction));
  }

  /** Set once Discord has refused the bot for good. */
  get fatal(): DiscordFatalError | null {
    return this.fatalError;
  }

  /** Logs in and resolves once the guild is loaded; rejects with a DiscordFatalError on a bad token or intents. */
  async start(): Promise<void> {
    if (this.fatalError) throw this.fatalError;
    // Registered before login: clientReady can fire before login() resolves.
    const ready = new Promise<void>((resolve, reject) => {
      this.client.once(Events.ClientReady, () => resolve());
      this.rejectStart = reject;
    });
    ready.catch(() => {});
    try {
      await this.client.login(this.deps.config.token);
    } catch (err) {
      if (this.fatalError) throw this.fatalError;
      if ((err as { code?: unknown }).code === "TokenInvalid") throw this.fail(rejectedTokenError());
      throw new Error(`Could not connect to Discord: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
    await ready;
    this.rejectStart = null;
    const { user, guilds } = this.client;
    this.deps.logger.info({ bot: user?.tag, guilds: guilds.cache.size }, "discord: connected");
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }

  /** Posts the alert (an approval with its buttons); a failed post throws, so the outbox retries it. */
  async deliver(item: OutboxItem): Promise<string> {
    if (this.fatalError) throw this.fatalError;
    const { alert } = item;
    if (alert.type === "approval-requested") return this.approvalPosts.request(item, alert);
    if (alert.type === "approval-decided" || alert.type === "approval-expired") {
      return this.approvalPosts.close(item, alert);
    }
    const message = await this.post(alertPost(item, this.deps.mode, this.mentions));
    return message.id;
  }

  private async post(body: RESTPostAPIChannelMessageJSONBody): Promise<APIMessage> {
    const { channelId } = this.deps.config;
    try {
      return (await this.client.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
    } catch (err) {
      throw new Error(`posting to Discord channel ${channelId} failed: ${describeRestError(err)}`, {
        cause: err,
      });
    }
  }

  private fail(error: DiscordFatalError): DiscordFatalError {
    if (this.fatalError) return this.fatalError;
    this.fatalError = error;
    this.deps.logger.error({ code: error.code }, error.message);
    this.rejectStart?.(error);
    this.deps.onFatal?.(error);
    void this.client.destroy();
    return error;
  }
}
