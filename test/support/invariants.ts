import { positions, trades } from "../../src/store/index.js";
import type { DiscordWorld } from "./discord-world.js";
import type { SentMessage } from "./fake-discord/index.js";

/** DESIGN.md section 3, as checks on what the broker, the journal and the channel show. */
export const INVARIANTS = [
  "no duplicate order",
  "no lost execution",
  "alerts once",
  "TP+SL on every position",
  "one entry a day",
  "no tw: order can open a position",
  "P&L from executions",
] as const;

export type InvariantName = (typeof INVARIANTS)[number];
/** What broke, per invariant; an empty list means it held. */
export type InvariantReport = Record<InvariantName, string[]>;

const CLIENT_ID = 7;

export async function checkInvariants(
  d: DiscordWorld,
  opts: { baseline: number; reusedIds: string[] },
): Promise<InvariantReport> {
  const sim = d.w.sim.state();
  const ours = sim.orders.filter((o) => o.clientId === CLIENT_ID);
  const report: InvariantReport = {
    "no duplicate order": [],
    "no lost execution": [],
    "alerts once": [],
    "TP+SL on every position": [],
    "one entry a day": [],
    "no tw: order can open a position": [],
    "P&L from executions": [],
  };

  // No duplicate order: one broker order per orderRef, and no order id used for two orders.
  for (const [ref, n] of counts(ours.map((o) => o.orderRef))) {
    if (n > 1) report["no duplicate order"].push(`${ref} is at the broker ${n} times`);
  }
  for (const o of ours) {
    if (!o.orderRef.startsWith("tw:")) report["no duplicate order"].push(`order ${o.orderId} has no tw: ref`);
  }
  report["no duplicate order"].push(...opts.reusedIds.map((k) => `order id reused: ${k}`));

  // No lost execution: every execution of ours is in the journal, and the positions agree.
  const journaled = new Set(
    (await d.w.db.selectFrom("executions").select("exec_id").execute()).map((e) => e.exec_id),
  );
  // IB reports executions of the current day only (since midnight New York): one made while the bot
  // was away for longer cannot be journaled; the position's outcome is settled without it (and the
  // "P&L from executions" check below makes sure no P&L is made up for it).
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(new Date(sim.now));
  const reportable = (time: string) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(new Date(time)) === today;
  for (const e of sim.executions.filter((x) => x.clientId === CLIENT_ID && reportable(x.time))) {
    if (!journaled.has(e.execId)) report["no lost execution"].push(`${e.execId} not in the journal`);
  }
  const open = await positions.openPositions(d.w.db);
  const brokerShorts = sim.positions.filter((p) => p.secType === "OPT" && p.pos !== 0);
  for (const b of brokerShorts) {
    const mine = open.find((p) => p.con_id === b.conId);
    if (mine?.quantity !== b.pos)
      report["no lost execution"].push(`broker holds ${b.pos} of ${b.conId}, journal ${mine?.quantity ?? 0}`);
  }
  for (const p of open) {
    if (!brokerShorts.some((b) => b.conId === p.con_id))
      report["no lost execution"].push(`position ${p.id} open in the journal, not at the broker`);
  }

  // Alerts once: all delivered, each exactly once to the chat, each posted once on Discord.
  const alerts = await d.w.db.selectFrom("alerts").select(["id", "delivered_at"]).execute();
  for (const a of alerts) {
    if (a.delivered_at === null) report["alerts once"].push(`alert #${a.id} never delivered`);
  }
  for (const [id, n] of counts(d.w.chat.delivered.map((i) => String(i.id)))) {
    if (n > 1) report["alerts once"].push(`alert #${id} delivered ${n} times`);
  }
  const posted = counts(
    d.fake
      .channelPosts()
      .map(({ body }) => /alert #(\d+)$/.exec(footerOf(body))?.[1])
      .filter((id): id is string => id !== undefined),
  );
  for (const a of alerts.filter((x) => x.id > opts.baseline)) {
    const n = posted.get(String(a.id)) ?? 0;
    if (n !== 1) report["alerts once"].push(`alert #${a.id} posted ${n} times on Discord`);
  }

  // TP and SL live at the broker for every open position: a BUY LMT and a BUY STP, one OCA group.
  for (const p of open) {
    const live = sim.openOrders.filter(
      (o) => o.clientId === CLIENT_ID && o.contract.conId === p.con_id && o.action === "BUY",
    );
    const tp = live.filter((o) => o.orderType === "LMT" && o.orderRef.startsWith(`tw:tp:${p.id}`));
    const sl = live.filter((o) => o.orderType === "STP" && o.orderRef.startsWith(`tw:sl:${p.id}`));
    if (tp.length !== 1 || sl.length !== 1) {
      report["TP+SL on every position"].push(`position ${p.id}: ${tp.length} TP and ${sl.length} SL live`);
    } else if (!tp[0]!.ocaGroup || tp[0]!.ocaGroup !== sl[0]!.ocaGroup) {
      report["TP+SL on every position"].push(`position ${p.id}: TP and SL not in one OCA group`);
    }
  }

  // One entry a day: at most one entry order per trading day ever worked or filled at the broker
  // (a retry is only made after an attempt that never worked: rejected, or lost on the way).
  const worked = ours.filter(
    (o) => o.action === "SELL" && (o.filled > 0 || o.status === "Submitted" || o.status === "PreSubmitted"),
  );
  for (const [day, n] of counts(
    worked.map((o) => /^tw:entry:(\d{4}-\d{2}-\d{2}):/.exec(o.orderRef)?.[1] ?? "?"),
  )) {
    if (n > 1) report["one entry a day"].push(`${n} entries worked on ${day}`);
  }
  // No tw: order can open a position: our working BUY exits of each kind stay within the broker's
  // short on their contract, and no option position is long.
  const shortOn = (conId: number) =>
    -sim.positions.filter((p) => p.conId === conId && p.secType === "OPT").reduce((t, p) => t + p.pos, 0);
  for (const p of sim.positions) {
    if (p.secType === "OPT" && p.pos > 0)
      report["no tw: order can open a position"].push(`the account is long ${p.pos} of ${p.conId}`);
  }
  const working = new Map<string, number>();
  for (const o of sim.openOrders) {
    if (o.action !== "BUY" || !/^tw:(tp|sl):/.test(o.orderRef)) continue;
    const key = `${o.contract.conId}|${o.orderRef.slice(3, 5)}`;
    working.set(key, (working.get(key) ?? 0) + o.totalQuantity - o.filled);
  }
  for (const [key, qty] of working) {
    const conId = Number(key.split("|")[0]);
    if (qty > shortOn(conId))
      report["no tw: order can open a position"].push(
        `${qty} working ${key} over a short of ${shortOn(conId)}`,
      );
  }

  // No booked P&L the executions do not support: a trade closed by an execution has that execution's
  // price; one without (an expiry) closes at 0 after its expiry; an outcome the bot could not prove books none.
  const byExec = new Map(sim.executions.map((e) => [e.execId, e]));
  for (const t of await trades.recentTrades(d.w.db, 1000)) {
    if (t.exec_id) {
      const e = byExec.get(t.exec_id);
      if (!e)
        report["P&L from executions"].push(`trade ${t.id}: execution ${t.exec_id} unknown to the broker`);
      else if (Math.abs(e.price - t.exit_price) > 1e-9)
        report["P&L from executions"].push(`trade ${t.id}: exit ${t.exit_price}, execution ${e.price}`);
    } else if (t.reason !== "expired" || t.exit_price !== 0) {
      report["P&L from executions"].push(`trade ${t.id} (${t.reason}) has no execution behind it`);
    }
  }
  return report;
}

function counts(keys: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}

function footerOf(body: SentMessage): string {
  return (body.embeds?.[0] as { footer?: { text?: string } } | undefined)?.footer?.text ?? "";
}
