import { Writable } from "node:stream";
import { pino } from "pino";
import type { OutboxItem } from "../../src/bot/alert-dispatcher.js";
import type { Verdict } from "../../src/bot/discord/buttons.js";
import { DiscordChat } from "../../src/bot/discord/discord-chat.js";
import { Ops } from "../../src/bot/ops.js";
import type { DiscordConfig } from "../../src/config.js";
import type { Logger } from "../../src/log.js";
import {
  FakeDiscord,
  type InteractionHandle,
  type RecordedRequest,
  type SentMessage,
  type StoredMessage,
} from "./fake-discord/index.js";
import type { OptionValue } from "./fake-discord/interactions.js";
import { startTradingWorld, type TradingWorld, type TradingWorldOptions } from "./trading-world.js";

export const OPERATOR = "300000000000000001";
export const SECOND_OPERATOR = "300000000000000002";
export const STRANGER = "300000000000000009";

export interface DiscordWorld {
  /** The real bot's trading stack on the simulator (see startTradingWorld). */
  w: TradingWorld;
  fake: FakeDiscord;
  chat: DiscordChat;
  ops: Ops;
  /** The adapter's log lines, as objects. */
  logs: Array<Record<string, unknown>>;
  command(name: string, options?: Record<string, OptionValue>, userId?: string): InteractionHandle;
  /** The channel post carrying the approval's buttons, once the outbox has delivered it. */
  approvalPost(approvalId: string): Promise<StoredMessage>;
  click(post: StoredMessage | string, verdict: Verdict, userId?: string): InteractionHandle;
  /** The first channel post (after `afterSeq`) whose embed title matches; waits for the outbox. */
  posted(title: RegExp, afterSeq?: number): Promise<StoredMessage>;
  /** Successful channel posts of the approval's buttons. */
  approvalPosts(approvalId: string): StoredMessage[];
  close(): Promise<void>;
}

/**
 * The whole bot on Discord: real discord.js against the fake, the real adapter and Ops, and the
 * real trading stack against the simulator. Alerts reach Discord through the outbox, as in the app.
 */
export async function startDiscordWorld(opts: TradingWorldOptions = {}): Promise<DiscordWorld> {
  const w = await startTradingWorld(opts);
  const fake = await FakeDiscord.start();
  const { logger, lines } = memoryLogger();
  const ops = new Ops({
    mode: "paper",
    db: w.db,
    clock: w.clock,
    supervisor: w.supervisor,
    staleAfterMs: 120_000,
    trading: w.trading,
  });
  const config: DiscordConfig = {
    token: fake.token,
    appId: fake.ids.app,
    guildId: fake.ids.guild,
    channelId: fake.ids.channel,
    allowedUserIds: [OPERATOR, SECOND_OPERATOR],
    apiUrl: fake.apiUrl,
    publicRead: false,
  };
  const chat = new DiscordChat({
    config,
    mode: "paper",
    ops,
    db: w.db,
    clock: w.clock,
    logger,
  });
  await chat.start();
  deliverThroughDiscord(w, chat);

  const isChannelPost = (r: RecordedRequest) =>
    r.method === "POST" && r.path === `/channels/${fake.ids.channel}/messages` && r.status === 200;
  const buttonsOf = (approvalId: string) => (r: RecordedRequest) =>
    isChannelPost(r) &&
    JSON.stringify((r.body as { components?: unknown }).components ?? []).includes(`"ap:${approvalId}:`);

  return {
    w,
    fake,
    chat,
    ops,
    logs: lines,
    command: (name, options, userId = OPERATOR) => fake.slashCommand({ userId, name, options }),
    async approvalPost(approvalId) {
      const request = await fake.waitForRequest(buttonsOf(approvalId), `the post of approval ${approvalId}`);
      return fake.message((request.response as StoredMessage).id)!;
    },
    async posted(title, afterSeq = 0) {
      const request = await fake.waitForRequest(
        (r) => isChannelPost(r) && title.test((r.body as SentMessage).embeds?.[0]?.title ?? ""),
        `a post titled ${title}`,
        afterSeq,
      );
      return request.response as StoredMessage;
    },
    approvalPosts: (approvalId) =>
      fake.requests.filter(buttonsOf(approvalId)).map((r) => r.response as StoredMessage),
    click(post, verdict, userId = OPERATOR) {
      const message = typeof post === "string" ? fake.message(post) : post;
      const customId = message?.components
        .flatMap((row) => row.components ?? [])
        .map((b) => b.custom_id ?? "")
        .find((id) => id.endsWith(`:${verdict}`));
      if (!message || !customId) throw new Error(`no ${verdict} button on that message`);
      return fake.clickButton({ userId, customId, message });
    },
    async close() {
      await w.close();
      await chat.stop();
      await fake.close();
    },
  };
}

/**
 * startTradingWorld owns its chat (a RecordingChat). Passing each alert on to the adapter first
 * makes the outbox deliver to Discord, retrying when Discord fails, as the app's dispatcher does.
 * Alerts raised while the world booted, before the bot joined Discord, were only recorded.
 */
function deliverThroughDiscord(w: TradingWorld, chat: DiscordChat): void {
  const record = w.chat.deliver.bind(w.chat);
  w.chat.deliver = async (item: OutboxItem) => {
    const ref = await chat.deliver(item);
    await record(item);
    return ref;
  };
}

function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: "debug" }, sink), lines };
}
