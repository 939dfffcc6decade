import {
  type APIMessage,
  Client,
  Events,
  GatewayIntentBits,
  REST,
  RESTEvents,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from "discord.js";
import type { Clock, TimerHandle } from "../../clock.js";
import type { DiscordConfig } from "../../config.js";
import type { Logger } from "../../log.js";
import type { Db } from "../../store/index.js";
import { backoffDelay } from "../../trading/ib/backoff.js";
import { type ChatPort, DeliveryError, type OutboxItem } from "../alert-dispatcher.js";
import type { Mode } from "../format.js";
import type { Ops } from "../ops.js";
import { alertPost, type Mentions, urgentMentions } from "./alert-post.js";
import { type ApprovalDesk, opsApprovalDesk } from "./approval-desk.js";
import { ApprovalPosts } from "./approval-posts.js";
import { builtinCommands, type CommandModule, commandRegistry } from "./commands/index.js";
import {
  DiscordFatalError,
  describeRestError,
  fatalCloseError,
  isFatalCloseCode,
  rejectedTokenError,
  restStatus,
} from "./discord-errors.js";
import { InteractionRouter } from "./router.js";
import { DiscordSetupError, setupProblems } from "./setup-check.js";

/** How long stop() waits for the gateway to close. */
const STOP_WAIT_MS = 3_000;

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
  /** Called once when Discord refuses the bot for good (bad token, intents, set-up): the app should stop. */
  onFatal?: (error: DiscordFatalError) => void;
  /** Waits between login attempts while Discord is unreachable (defaults 2 s doubling to 60 s). */
  loginRetryBaseMs?: number;
  loginRetryCapMs?: number;
}

/**
 * The Discord chat adapter: owns the discord.js client, posts alerts to the channel and
 * answers slash commands and buttons through the router. Gateway drops and resumes are
 * discord.js's business; a refusal that reconnecting cannot fix stops the adapter.
 */
export class DiscordChat implements ChatPort {
  readonly client: Client;
  /** Channel posts and edits go over their own REST client: they never wait for the gateway. */
  private readonly rest: REST;
  private readonly router: InteractionRouter;
  private readonly mentions: Mentions | null;
  private readonly approvalPosts: ApprovalPosts;
  private fatalError: DiscordFatalError | null = null;
  private rejectStart: ((err: Error) => void) | null = null;
  private retryTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly deps: DiscordChatDeps) {
    const { config, logger } = deps;
    const rest = config.apiUrl ? { api: config.apiUrl } : {};
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest,
      allowedMentions: { parse: [] },
    });
    this.rest = new REST(rest).setToken(config.token);
    this.mentions = urgentMentions(config);
    const approvals = deps.approvals ?? opsApprovalDesk(deps.ops);
    this.router = new InteractionRouter({
      ...deps,
      commands: commandRegistry(deps.commands ?? builtinCommands),
      approvals,
    });
    this.approvalPosts = new ApprovalPosts({
      rest: this.rest,
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
    for (const r of [client.rest, this.rest]) {
      r.on(RESTEvents.RateLimited, (info) =>
        logger.warn(
          { route: info.route, retryAfterMs: info.retryAfter },
          "discord: rate limited; discord.js retries",
        ),
      );
    }
    client.on(Events.InteractionCreate, (interaction) => void this.router.route(interaction));
  }

  /** Set once Discord has refused the bot for good. */
  get fatal(): DiscordFatalError | null {
    return this.fatalError;
  }

  /**
   * Checks the set-up, then logs in and resolves once the guild is loaded. Rejects with a
   * DiscordFatalError (bad token or intents, DiscordSetupError for the server, channel and
   * permissions), or another error when Discord could not be reached.
   */
  async start(): Promise<void> {
    if (this.fatalError) throw this.fatalError;
    const problems = await setupProblems(this.rest, this.deps.config).catch((err: unknown) => {
      if (err instanceof DiscordFatalError) throw this.fail(err);
      throw new Error(`Could not reach Discord to check the set-up: ${describeRestError(err)}`, {
        cause: err,
      });
    });
    if (problems.length > 0) throw this.fail(new DiscordSetupError(problems));
    // Registered before login: clientReady can fire before login() resolves.
    let onReady = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      onReady = () => resolve();
      this.client.once(Events.ClientReady, onReady);
      this.rejectStart = reject;
    });
    ready.catch(() => {});
    try {
      await this.client.login(this.deps.config.token);
    } catch (err) {
      // A later attempt registers its own; retries must not pile listeners up.
      this.client.off(Events.ClientReady, onReady);
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

  /**
   * start() in the background, again and again with backoff while Discord is unreachable, so
   * a Discord outage never holds up the broker side. A fatal refusal goes to onFatal.
   */
  startInBackground(attempt = 0): void {
    if (this.stopped) return;
    this.start().catch((err: unknown) => {
      if (this.stopped || err instanceof DiscordFatalError) return;
      const { clock, logger } = this.deps;
      const delay = backoffDelay(
        attempt,
        this.deps.loginRetryBaseMs ?? 2_000,
        this.deps.loginRetryCapMs ?? 60_000,
      );
      logger.error(
        { err: err instanceof Error ? err.message : String(err), attempt: attempt + 1, retryInMs: delay },
        "DISCORD UNREACHABLE: slash commands and buttons are offline; alerts wait in the outbox. Trading supervision goes on; retrying.",
      );
      this.retryTimer = clock.setTimeout(() => this.startInBackground(attempt + 1), delay);
    });
  }

  /** Logs out; a gateway that does not answer the close within a few seconds does not hold up shutdown. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.retryTimer);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.deps.logger.warn("discord: the gateway did not close in time; stopping anyway");
        resolve();
      }, STOP_WAIT_MS);
      timer.unref();
    });
    await Promise.race([this.client.destroy(), late]);
    clearTimeout(timer);
  }

  /** Posts the alert (an approval with its buttons); a failed post throws, so the outbox retries it. */
  async deliver(item: OutboxItem): Promise<string> {
    if (this.fatalError) throw this.fatalError;
    const { alert } = item;
    if (alert.type === "approval-requested") return this.approvalPosts.request(item, alert);
    if (
      alert.type === "approval-decided" ||
      alert.type === "approval-expired" ||
      alert.type === "approval-withdrawn"
    ) {
      return this.approvalPosts.close(item, alert);
    }
    const message = await this.post(alertPost(item, this.deps.mode, this.mentions));
    return message.id;
  }

  /** A post to the alert channel; a failure says whether the channel, this post or the moment is to blame. */
  private async post(body: RESTPostAPIChannelMessageJSONBody): Promise<APIMessage> {
    const { channelId } = this.deps.config;
    const route = Routes.channelMessages(channelId);
    try {
      try {
        return (await this.rest.post(route, { body })) as APIMessage;
      } catch (err) {
        // No answer at all (reset, timeout): ask once more at once. The post's nonce makes
        // Discord return the message it may already have stored instead of a second one.
        if (restStatus(err) !== undefined || !body.enforce_nonce) throw err;
        return (await this.rest.post(route, { body })) as APIMessage;
      }
    } catch (err) {
      const status = restStatus(err);
      const what = `posting to Discord channel ${channelId} failed: ${describeRestError(err)}`;
      if (status === 403 || status === 404 || status === 401) {
        const fix =
          status === 404
            ? "check DISCORD_CHANNEL_ID"
            : "give the bot View Channel, Send Messages and Embed Links in that channel";
        throw new DeliveryError(`${what}; ${fix}`, "channel", { cause: err });
      }
      const scope =
        status !== undefined && status >= 400 && status < 500 && status !== 429 ? "alert" : "transient";
      throw new DeliveryError(what, scope, { cause: err });
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
