import { AlertDispatcher, type ChatPort, type OutboxItem } from "../src/bot/alert-dispatcher.js";
import { DiscordChat } from "../src/bot/discord/index.js";
import { Ops } from "../src/bot/ops.js";
import { systemClock } from "../src/clock.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/log.js";
import { IbSimulator } from "../src/sim/index.js";
import { openDatabase } from "../src/store/index.js";
import { AlertOutbox } from "../src/trading/alert-outbox.js";
import type { AlertType } from "../src/trading/alerts.js";
import { ConnectionSupervisor } from "../src/trading/ib/connection-supervisor.js";
import { FakeDiscord } from "../test/support/fake-discord/index.js";
import { type Figure, figure } from "./stats.js";

/**
 * The real Discord adapter against the fake Discord, noting when each alert's post was accepted,
 * so a trial can wait for one and time it.
 */
const loaded = loadConfig({});
if (!loaded.ok) throw new Error(loaded.problems.join("; "));
/** The settings a bot runs with when nothing is configured. */
const DEFAULTS = loaded.config;

const DELIVERED = { delivered: "channel post accepted by the fake Discord" };

class TimingChat implements ChatPort {
  private waiters: Array<{ type: AlertType; resolve: (t: number) => void }> = [];
  constructor(private readonly discord: DiscordChat) {}

  async deliver(item: OutboxItem): Promise<string> {
    const ref = await this.discord.deliver(item);
    const at = performance.now();
    this.waiters = this.waiters.filter((w) => {
      if (w.type !== item.alert.type) return true;
      w.resolve(at);
      return false;
    });
    return ref;
  }

  next(type: AlertType): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }
}

async function rig(heartbeatS: number, timeoutS: number) {
  const sim = await IbSimulator.start({ seed: "journal" });
  const fake = await FakeDiscord.start();
  const store = await openDatabase(":memory:");
  const outbox = new AlertOutbox(store.db, systemClock);
  const supervisor = new ConnectionSupervisor({
    host: "127.0.0.1",
    port: sim.port,
    clientId: 7,
    heartbeatMs: heartbeatS * 1000,
    heartbeatTimeoutMs: timeoutS * 1000,
    handshakeTimeoutMs: 5000,
    staleAfterMs: 120_000,
    settleMs: 50,
    reconnectBaseMs: 50,
    reconnectCapMs: 200,
    clock: systemClock,
    logger: silentLogger,
    sink: outbox.transitionSink(),
  });
  const ops = new Ops({ mode: "paper", db: store.db, clock: systemClock, supervisor, staleAfterMs: 120_000 });
  const discord = new DiscordChat({
    config: {
      token: fake.token,
      appId: fake.ids.app,
      guildId: fake.ids.guild,
      channelId: fake.ids.channel,
      allowedUserIds: ["300000000000000001"],
      apiUrl: fake.apiUrl,
      publicRead: false,
    },
    mode: "paper",
    ops,
    db: store.db,
    clock: systemClock,
    logger: silentLogger,
  });
  await discord.start();
  const chat = new TimingChat(discord);
  const dispatcher = new AlertDispatcher({
    db: store.db,
    outbox,
    chat,
    clock: systemClock,
    logger: silentLogger,
  });
  const connected = chat.next("connected");
  dispatcher.start();
  supervisor.start();
  await connected;
  return {
    sim,
    chat,
    supervisor,
    heartbeatS,
    async close() {
      await supervisor.stop();
      await dispatcher.stop();
      await discord.stop();
      await fake.close();
      await sim.close();
      await store.close();
    },
  };
}

type Rig = Awaited<ReturnType<typeof rig>>;

async function trials(r: Rig, n: number, trial: (r: Rig) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await trial(r));
  return out;
}

/** Injects a fault, times until its alert is delivered, then recovers and waits for the recovery post. */
async function timeFault(
  r: Rig,
  inject: () => void,
  alert: AlertType,
  recover: () => void,
  recovery: AlertType,
): Promise<number> {
  const seen = r.chat.next(alert);
  const recovered = r.chat.next(recovery);
  const t0 = performance.now();
  inject();
  const t1 = await seen;
  recover();
  await recovered;
  return t1 - t0;
}

/**
 * The gateway stops answering at a random point of the heartbeat cycle (a hang right after an
 * answered probe is the slowest case: a whole interval, then the timeout), and must be found,
 * alerted, and reconnected after `clear`.
 */
async function hangTrial(r: Rig): Promise<number> {
  await new Promise((done) => setTimeout(done, Math.random() * r.heartbeatS * 1000));
  return timeFault(
    r,
    () => r.sim.fault({ type: "hang" }),
    "disconnected",
    () => r.sim.fault({ type: "clear" }),
    "reconnected",
  );
}

async function hangFigure(heartbeatS: number, timeoutS: number, n: number): Promise<Figure> {
  const r = await rig(heartbeatS, timeoutS);
  try {
    const hang = await trials(r, n, hangTrial);
    return figure("hang_to_alert", "ms", hang, {
      ...DELIVERED,
      HEARTBEAT_S: heartbeatS,
      HEARTBEAT_TIMEOUT_S: timeoutS,
      trials: n,
    });
  } finally {
    await r.close();
  }
}

export async function supervisionFigures(quick: boolean): Promise<Figure[]> {
  const figures: Figure[] = [];
  const n = quick ? 5 : 30;
  const { intervalS, timeoutS } = DEFAULTS.heartbeat;
  const defaults = await rig(intervalS, timeoutS);
  try {
    const drop = await trials(defaults, n, (r) =>
      timeFault(
        r,
        () => r.sim.fault({ type: "drop" }),
        "disconnected",
        () => {},
        "reconnected",
      ),
    );
    figures.push(figure("drop_to_alert", "ms", drop, { ...DELIVERED, trials: n }));
    const lost = await trials(defaults, n, (r) =>
      timeFault(
        r,
        () => r.sim.fault({ type: "connectivity-lost" }),
        "degraded",
        () => r.sim.fault({ type: "connectivity-restored" }),
        "restored",
      ),
    );
    figures.push(figure("ib_1100_to_alert", "ms", lost, { ...DELIVERED, trials: n }));
  } finally {
    await defaults.close();
  }
  figures.push(await hangFigure(intervalS, timeoutS, quick ? 3 : 10));
  figures.push(await hangFigure(1, 1, quick ? 3 : 10));
  return figures;
}
