import { AlertDispatcher } from "../src/bot/alert-dispatcher.js";
import { DiscordChat } from "../src/bot/discord/discord-chat.js";
import { Ops } from "../src/bot/ops.js";
import { systemClock } from "../src/clock.js";
import { adoptedPosition } from "../src/demo-seed.js";
import { silentLogger } from "../src/log.js";
import { expirationNear, spyOption } from "../src/sim/index.js";
import { alerts as alertRepo, openDatabase, positions } from "../src/store/index.js";
import { AlertOutbox } from "../src/trading/alert-outbox.js";
import type { Alert } from "../src/trading/alerts.js";
import { ConnectionSupervisor } from "../src/trading/ib/connection-supervisor.js";
import { type DiscordWorld, startDiscordWorld } from "../test/support/discord-world.js";
import { FakeDiscord, type RecordedRequest } from "../test/support/fake-discord/index.js";
import { until } from "../test/support/trading-world.js";
import { type Figure, figure, quantile } from "./stats.js";

const PACE_MS = 50;
const READ_COMMANDS = ["status", "positions", "orders", "trades"] as const;

/** Slash command sent by the fake Discord -> the bot's first callback (a reply or a defer) arrives. */
async function commandLatencies(d: DiscordWorld, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = READ_COMMANDS[i % READ_COMMANDS.length] as string;
    const sent = performance.now();
    const handle = d.command(name);
    const callback = await handle.callback();
    if (callback.status >= 300) throw new Error(`/${name}: callback failed with ${callback.status}`);
    out.push(callback.at - sent);
    await handle.answer();
  }
  return out;
}

/**
 * Positions covered by TP and SL at the simulator; each trial fills one TP there and times
 * until its "Take-profit filled" post reaches the fake Discord's channel.
 */
async function fillToPost(d: DiscordWorld, positionIds: number[]): Promise<number[]> {
  const out: number[] = [];
  const channelPath = `/channels/${d.fake.ids.channel}/messages`;
  for (const id of positionIds) {
    const afterSeq = d.fake.lastSeq;
    const isPost = (r: RecordedRequest) =>
      r.method === "POST" &&
      r.path === channelPath &&
      r.status === 200 &&
      new RegExp(`^Take-profit filled: .*\\(position ${id}\\)`).test(postText(r));
    const posted = d.fake.waitForRequest(isPost, `the TP fill post of position ${id}`, afterSeq);
    const t0 = performance.now();
    d.w.sim.fill({ orderRef: `tw:tp:${id}` });
    out.push((await posted).at - t0);
    // discord.js queues every request past 50 a second (its global limit); a real account fills
    // a few times a day, so trials are spaced to measure the path, not that queue.
    await new Promise((done) => setTimeout(done, PACE_MS));
  }
  return out;
}

function postText(r: RecordedRequest): string {
  const embed = (r.body as { embeds?: Array<{ title?: string; description?: string }> }).embeds?.[0];
  return `${embed?.title ?? ""} ${embed?.description ?? ""}`;
}

/**
 * Journals the simulator's seeded short puts as open positions whose entry is the current mark,
 * so their TP (below) and SL (above) rest at the broker, then lets the reconciler attach them.
 */
async function coveredPositions(d: DiscordWorld): Promise<number[]> {
  const { sim, clock } = d.w;
  const ids: number[] = [];
  for (const p of sim.state().positions) {
    const mark = sim.market.quote(spyOption(p.expiry, p.strike, "P")).mark;
    const row = await positions.insertPosition(d.w.db, adoptedPosition(p, clock.now(), mark), clock.now());
    ids.push(row.id);
  }
  const report = await d.ops.trade.reconcile();
  if (report.reattached.length !== ids.length)
    throw new Error(`re-attached exits on ${report.reattached.length} of ${ids.length} positions`);
  await until(
    d.w,
    () => {
      const refs = new Set(sim.state().openOrders.map((o) => o.orderRef));
      return ids.every((id) => refs.has(`tw:tp:${id}`) && refs.has(`tw:sl:${id}`));
    },
    `TP and SL on ${ids.length} positions`,
  );
  return ids;
}

const LOST_ANSWERS = 0.05;

/** A deterministic stream in [0, 1) so the same posts lose their answers on every run. */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}

/**
 * The outbox -> the Discord adapter -> the fake Discord, in real time, with 5 % of channel posts
 * stored but their answer dropped (the bot sees a reset and the outbox retries after its
 * backoff). Each trial raises one alert and times until its message is in the channel; the
 * duplicates are messages beyond the first for the same alert (the nonce's job: 0).
 */
async function alertToPost(n: number): Promise<Figure[]> {
  const fake = await FakeDiscord.start();
  const store = await openDatabase(":memory:");
  const clock = systemClock;
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
    logger: silentLogger,
    sink: outbox.transitionSink(),
  });
  const ops = new Ops({ mode: "paper", db: store.db, clock, supervisor, staleAfterMs: 120_000 });
  const chat = new DiscordChat({
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
    clock,
    logger: silentLogger,
  });
  const dispatcher = new AlertDispatcher({ db: store.db, outbox, chat, clock, logger: silentLogger });
  try {
    await chat.start();
    dispatcher.start();
    fake.loseAnswersAtRate(LOST_ANSWERS, seeded(12));
    const channelPath = `/channels/${fake.ids.channel}/messages`;
    const latencies: number[] = [];
    for (let i = 0; i < n; i++) {
      const alert: Alert = { type: "stale", part: "positions", ageMs: 130_000 + i, limitMs: 120_000 };
      const afterSeq = fake.lastSeq;
      const t0 = performance.now();
      await outbox.raise([alert]);
      const row = await store.db
        .selectFrom("alerts")
        .select("id")
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      const nonce = `tw-a${row.id}`;
      const stored = await fake.waitForRequest(
        (r) =>
          r.method === "POST" &&
          r.path === channelPath &&
          (r.body as { nonce?: string }).nonce === nonce &&
          r.response !== undefined,
        `the post of alert ${row.id}`,
        afterSeq,
        30_000,
      );
      latencies.push(stored.at - t0);
      await new Promise((done) => setTimeout(done, PACE_MS));
    }
    // Let the outbox retry every post whose answer was lost: a retry is where a duplicate would appear.
    while ((await alertRepo.undeliveredCount(store.db)) > 0) {
      await new Promise((done) => setTimeout(done, 100));
    }
    const lost = fake.requests.filter((r) => r.path === channelPath && r.status === 0).length;
    const perAlert = new Map<string, number>();
    for (const m of fake.channelMessages()) {
      const key = String(m.nonce);
      perAlert.set(key, (perAlert.get(key) ?? 0) + 1);
    }
    const duplicates = [...perAlert.values()].map((count) => count - 1);
    const sorted = [...duplicates].sort((a, b) => a - b);
    const settings = {
      discord: "fake Discord on loopback",
      lostAnswers: `${LOST_ANSWERS * 100} % of channel posts (stored, answer dropped)`,
      lostInRun: lost,
      retry: "once at once (same nonce), then the outbox's backoff from 1 s",
      paceMs: PACE_MS,
    };
    return [
      figure("alert_to_discord_post_5pct_lost_answers", "ms", latencies, settings),
      {
        name: "alert_to_discord_post_duplicates_5pct_lost_answers",
        unit: "posts",
        value: duplicates.reduce((a, b) => a + b, 0),
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        n: duplicates.length,
        settings: { ...settings, goal: 0 },
      },
    ];
  } finally {
    await dispatcher.stop();
    await chat.stop();
    await fake.close();
    await store.close();
  }
}

export async function discordFigures(quick: boolean): Promise<Figure[]> {
  const count = quick ? 20 : 100;
  const expiry = expirationNear(new Date("2026-02-04T14:30:00Z"), 70);
  const d = await startDiscordWorld({
    seed: {
      positions: Array.from({ length: count }, (_, i) => ({
        contract: { secType: "OPT" as const, expiry, strike: 560 + i, right: "P" as const },
        qty: -1,
        price: 6,
      })),
    },
    env: { AUTO_REATTACH: "true" },
  });
  try {
    await commandLatencies(d, 10); // warm-up: discord.js and the handlers' first calls
    const commands = await commandLatencies(d, quick ? 50 : 300);
    const fills = await fillToPost(d, await coveredPositions(d));
    const settings = { discord: "fake Discord on loopback", broker: "simulator on loopback" };
    return [
      figure("slash_command_to_first_response", "ms", commands, {
        ...settings,
        commands: READ_COMMANDS.map((c) => `/${c}`),
      }),
      figure("fill_to_channel_post", "ms", fills, {
        ...settings,
        fill: "TP of a covered short put",
        paceMs: PACE_MS,
      }),
      ...(await alertToPost(quick ? 60 : 200)),
    ];
  } finally {
    await d.close();
  }
}
