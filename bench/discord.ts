import { adoptedPosition } from "../src/demo-seed.js";
import { expirationNear, spyOption } from "../src/sim/index.js";
import { positions } from "../src/store/index.js";
import { type DiscordWorld, startDiscordWorld } from "../test/support/discord-world.js";
import type { RecordedRequest } from "../test/support/fake-discord/index.js";
import { until } from "../test/support/trading-world.js";
import { type Figure, figure } from "./stats.js";

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
    ];
  } finally {
    await d.close();
  }
}
