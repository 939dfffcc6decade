import { positions } from "../../src/store/index.js";
import type { DiscordWorld } from "./discord-world.js";
import type { SentMessage } from "./fake-discord/index.js";

/** DESIGN.md section 3, as checks on what the broker, the journal and the channel show. */
export const INVARIANTS = [
  "no duplicate order",
  "no lost execution",
  "alerts once",
  "TP+SL on every position",
  "one entry a day",
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
  for (const e of sim.executions.filter((x) => x.clientId === CLIENT_ID)) {
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
