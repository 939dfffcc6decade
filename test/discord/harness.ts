import { Writable } from "node:stream";
import { pino } from "pino";
import type { ApprovalDesk } from "../../src/bot/discord/approval-desk.js";
import type { CommandModule } from "../../src/bot/discord/commands/index.js";
import { DiscordChat } from "../../src/bot/discord/discord-chat.js";
import type { DiscordFatalError } from "../../src/bot/discord/discord-errors.js";
import type { Mode } from "../../src/bot/format.js";
import { Ops } from "../../src/bot/ops.js";
import { ManualClock } from "../../src/clock.js";
import type { DiscordConfig } from "../../src/config.js";
import type { Logger } from "../../src/log.js";
import { type DatabaseHandle, openDatabase } from "../../src/store/index.js";
import { AlertOutbox } from "../../src/trading/alert-outbox.js";
import { ConnectionSupervisor } from "../../src/trading/ib/connection-supervisor.js";
import { FakeDiscord, type FakeDiscordOptions } from "../support/fake-discord/index.js";

export const OPERATOR = "300000000000000001";
export const SECOND_OPERATOR = "300000000000000002";
export const STRANGER = "300000000000000009";

/** Log lines as objects, so a test can see what the adapter told the operator. */
export function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: "debug" }, sink), lines };
}

export interface Bot {
  fake: FakeDiscord;
  chat: DiscordChat;
  config: DiscordConfig;
  store: DatabaseHandle;
  clock: ManualClock;
  outbox: AlertOutbox;
  ops: Ops;
  logs: Array<Record<string, unknown>>;
  logger: Logger;
  fatal: DiscordFatalError[];
  close(): Promise<void>;
}

export interface BotOptions {
  mode?: Mode;
  config?: Partial<DiscordConfig> | ((fake: FakeDiscord) => Partial<DiscordConfig>);
  commands?: readonly CommandModule[];
  approvals?: ApprovalDesk;
  fake?: FakeDiscordOptions;
  /** Log in and wait for ready (default true). */
  start?: boolean;
}

/**
 * The real adapter and discord.js client against the fake, over a real Ops: an in-memory
 * store and a connection supervisor that was never started ("disconnected", "not started").
 */
export async function startBot(opts: BotOptions = {}): Promise<Bot> {
  const fake = await FakeDiscord.start(opts.fake);
  const store = await openDatabase(":memory:");
  const clock = new ManualClock("2026-02-04T14:30:00Z");
  const { logger, lines } = memoryLogger();
  const outbox = new AlertOutbox(store.db, clock);
  const supervisor = new ConnectionSupervisor({
    host: "127.0.0.1",
    port: 4004,
    clientId: 7,
    heartbeatMs: 5_000,
    heartbeatTimeoutMs: 5_000,
    handshakeTimeoutMs: 5_000,
    staleAfterMs: 120_000,
    clock,
    logger,
    sink: outbox.transitionSink(),
  });
  const mode = opts.mode ?? "paper";
  const ops = new Ops({ mode, db: store.db, clock, supervisor, staleAfterMs: 120_000 });
  const config: DiscordConfig = {
    token: fake.token,
    appId: fake.ids.app,
    guildId: fake.ids.guild,
    channelId: fake.ids.channel,
    allowedUserIds: [OPERATOR],
    apiUrl: fake.apiUrl,
    publicRead: false,
    ...(typeof opts.config === "function" ? opts.config(fake) : opts.config),
  };
  const fatal: DiscordFatalError[] = [];
  const chat = new DiscordChat({
    config,
    mode,
    ops,
    db: store.db,
    clock,
    logger,
    commands: opts.commands,
    approvals: opts.approvals,
    onFatal: (err) => fatal.push(err),
  });
  const close = async () => {
    await chat.stop();
    await fake.close();
    await store.close();
  };
  if (opts.start ?? true) {
    try {
      await chat.start();
    } catch (err) {
      await close();
      throw err;
    }
  }
  return { fake, chat, config, store, clock, outbox, ops, logs: lines, logger, fatal, close };
}
