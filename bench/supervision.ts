import { AlertDispatcher, type ChatPort, type OutboxItem } from "../src/bot/alert-dispatcher.js";
import { systemClock } from "../src/clock.js";
import { silentLogger } from "../src/log.js";
import { IbSimulator } from "../src/sim/index.js";
import { openDatabase } from "../src/store/index.js";
import { AlertOutbox } from "../src/trading/alert-outbox.js";
import type { AlertType } from "../src/trading/alerts.js";
import { ConnectionSupervisor } from "../src/trading/ib/connection-supervisor.js";
import { type Figure, figure } from "./stats.js";

/** Records when each alert reached the chat, so a trial can wait for one and time it. */
class TimingChat implements ChatPort {
  private waiters: Array<{ type: AlertType; resolve: (t: number) => void }> = [];
  async deliver(item: OutboxItem): Promise<string> {
    const at = performance.now();
    this.waiters = this.waiters.filter((w) => {
      if (w.type !== item.alert.type) return true;
      w.resolve(at);
      return false;
    });
    return "bench";
  }
  next(type: AlertType): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }
}

async function rig(heartbeatS: number, timeoutS: number) {
  const sim = await IbSimulator.start({ seed: "journal" });
  const store = await openDatabase(":memory:");
  const outbox = new AlertOutbox(store.db, systemClock);
  const chat = new TimingChat();
  const dispatcher = new AlertDispatcher({
    db: store.db,
    outbox,
    chat,
    clock: systemClock,
    logger: silentLogger,
  });
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
  const connected = chat.next("connected");
  dispatcher.start();
  supervisor.start();
  await connected;
  return {
    sim,
    chat,
    supervisor,
    async close() {
      await supervisor.stop();
      await dispatcher.stop();
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

/** The gateway stops answering: the heartbeat must notice, alert, and reconnect after `clear`. */
const hangTrial = (r: Rig) =>
  timeFault(
    r,
    () => r.sim.fault({ type: "hang" }),
    "disconnected",
    () => r.sim.fault({ type: "clear" }),
    "reconnected",
  );

export async function supervisionFigures(quick: boolean): Promise<Figure[]> {
  const figures: Figure[] = [];
  const n = quick ? 5 : 30;
  const defaults = await rig(5, 5);
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
    figures.push(figure("drop_to_alert", "ms", drop, { trials: n }));
    const lost = await trials(defaults, n, (r) =>
      timeFault(
        r,
        () => r.sim.fault({ type: "connectivity-lost" }),
        "degraded",
        () => r.sim.fault({ type: "connectivity-restored" }),
        "restored",
      ),
    );
    figures.push(figure("ib_1100_to_alert", "ms", lost, { trials: n }));
    const hangN = quick ? 2 : 5;
    const hang = await trials(defaults, hangN, hangTrial);
    figures.push(
      figure("hang_to_alert", "ms", hang, { HEARTBEAT_S: 5, HEARTBEAT_TIMEOUT_S: 5, trials: hangN }),
    );
  } finally {
    await defaults.close();
  }
  const fast = await rig(1, 1);
  try {
    const hangN = quick ? 3 : 10;
    const hang = await trials(fast, hangN, hangTrial);
    figures.push(
      figure("hang_to_alert", "ms", hang, { HEARTBEAT_S: 1, HEARTBEAT_TIMEOUT_S: 1, trials: hangN }),
    );
  } finally {
    await fast.close();
  }
  return figures;
}
