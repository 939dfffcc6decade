import type { Readable, Writable } from "node:stream";
import { AlertDispatcher, type ChatPort } from "./bot/alert-dispatcher.js";
import { ConsoleChat } from "./bot/console/console-chat.js";
import { simConsole } from "./bot/console/sim-commands.js";
import { DiscordChat, type DiscordFatalError } from "./bot/discord/index.js";
import { startHealthServer } from "./bot/health-server.js";
import { Ops } from "./bot/ops.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import { seedDemoJournal } from "./demo-seed.js";
import type { Logger } from "./log.js";
import { IbSimulator } from "./sim/index.js";
import { openDatabase, orders } from "./store/index.js";
import { AlertOutbox } from "./trading/alert-outbox.js";
import { ConnectionSupervisor } from "./trading/ib/connection-supervisor.js";
import { Trading } from "./trading/trading.js";

export interface AppIo {
  input: Readable;
  output: Writable;
}

export interface App {
  ops: Ops;
  supervisor: ConnectionSupervisor;
  trading: Trading;
  chat: ChatPort;
  /** Resolves with the reason when a chat platform refuses the bot for good. */
  fatal: Promise<Error>;
  simulator: IbSimulator | null;
  healthPort: number | null;
  stop(): Promise<void>;
}

/**
 * The composition root: config -> store -> broker -> services -> chat. In demo mode the
 * simulator runs in this process and the bot reaches it over loopback TCP through the
 * same @stoqey/ib code path that paper and live use.
 */
export async function startApp(
  config: Config,
  deps: { logger: Logger; clock: Clock; io: AppIo },
): Promise<App> {
  const { logger, clock, io } = deps;
  let onFatal: (err: Error) => void = () => {};
  const fatal = new Promise<Error>((resolve) => {
    onFatal = resolve;
  });
  const stops: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (err) {
        logger.error({ err }, "error during shutdown");
      }
    }
  };
  try {
    let simulator: IbSimulator | null = null;
    let { host, port } = config.ib;
    if (config.mode === "demo") {
      simulator = await IbSimulator.start({
        port: config.ib.port,
        seed: "journal",
        ownerClientId: config.ib.clientId,
        logger: logger.child({ component: "sim" }),
      });
      stops.push(() => simulator?.close());
      host = "127.0.0.1";
      port = simulator.port;
    }

    const store = await openDatabase(config.dbPath);
    stops.push(() => store.close());
    const outbox = new AlertOutbox(store.db, clock);
    const supervisor = new ConnectionSupervisor({
      host,
      port,
      clientId: config.ib.clientId,
      account: config.ib.account,
      heartbeatMs: config.heartbeat.intervalS * 1000,
      heartbeatTimeoutMs: config.heartbeat.timeoutS * 1000,
      handshakeTimeoutMs: config.ib.handshakeTimeoutS * 1000,
      reconnectCapMs: config.ib.reconnectMaxS * 1000,
      staleAfterMs: config.staleAfterS * 1000,
      clock,
      logger: logger.child({ component: "supervisor" }),
      sink: outbox.transitionSink(),
    });
    if (simulator) {
      const seeded = await seedDemoJournal(store.db, simulator, clock);
      if (seeded) logger.info({ seeded }, "demo journal seeded with the simulated account's positions");
    }
    const trading = new Trading(
      {
        db: store.db,
        supervisor,
        outbox,
        clock,
        logger,
        settings: { ...config, account: config.ib.account },
      },
      await orders.maxBrokerOrderId(store.db),
    );
    const ops = new Ops({
      mode: config.mode,
      db: store.db,
      clock,
      supervisor,
      staleAfterMs: config.staleAfterS * 1000,
      account: config.ib.account,
      trading,
    });
    let chat: ChatPort;
    let discord: DiscordChat | null = null;
    if (config.chat === "discord" && config.discord) {
      discord = new DiscordChat({
        config: config.discord,
        mode: config.mode,
        ops,
        db: store.db,
        clock,
        logger: logger.child({ component: "discord" }),
        onFatal: (err: DiscordFatalError) => onFatal(err),
      });
      stops.push(() => discord?.stop());
      chat = discord;
    } else {
      const consoleChat = new ConsoleChat({
        ops,
        mode: config.mode,
        json: config.consoleJson,
        input: io.input,
        output: io.output,
        sim: simulator ? simConsole(simulator) : undefined,
      });
      consoleChat.start();
      stops.push(() => consoleChat.stop());
      chat = consoleChat;
    }
    const dispatcher = new AlertDispatcher({ db: store.db, outbox, chat, clock, logger });
    stops.push(() => dispatcher.stop());
    ops.watchDelivery(dispatcher);

    const health = await startHealthServer(ops, config.health.host, config.health.port);
    stops.push(() => health.close());
    logger.info({ host: config.health.host, port: health.port }, "health endpoint listening on /healthz");

    // The operator's (and the bench's) sign that the bot is usable: connected and reconciled.
    trading.on("ready", () =>
      logger.info({ uptimeMs: Math.round(process.uptime() * 1000) }, "ready: connected and reconciled"),
    );
    // The broker side first: whatever Discord does (down, slow, refusing), supervision runs.
    dispatcher.start();
    trading.start();
    supervisor.start();
    stops.push(() => supervisor.stop());
    stops.push(() => trading.stop());
    // Logs in (and checks the server, channel and permissions) in the background, retrying while
    // Discord is unreachable; alerts wait in the outbox meanwhile.
    discord?.startInBackground();

    return { ops, supervisor, trading, chat, simulator, healthPort: health.port, fatal, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
