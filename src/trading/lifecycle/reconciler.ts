import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { audit, type Db, executions, positions, settings } from "../../store/index.js";
import type { PositionRow } from "../../store/schema.js";
import type { AlertOutbox } from "../alert-outbox.js";
import type { Alert } from "../alerts.js";
import type { BrokerPosition } from "../broker.js";
import { reconcile } from "../domain/missing-exits.js";
import type { ReconcileFinding, VanishedPositionFinding } from "../domain/reconcile-findings.js";
import { zone } from "../domain/zoned-time.js";
import type { ConnectionSupervisor } from "../ib/connection-supervisor.js";
import { contractLabel } from "./contract-label.js";
import type { ExitOrders } from "./exits.js";
import type { ExitsFollowShort } from "./exits-follow-short.js";
import { describeFinding, type FindingText } from "./finding-text.js";
import { NotConnectedError } from "./order-desk.js";

export interface ReconcileReport {
  at: string;
  trigger: string;
  findings: Array<ReconcileFinding & FindingText>;
  /** Positions closed because the broker no longer holds them (expired or assigned). */
  settled: Array<{ positionId: number; outcome: "expired" | "assigned" | "closed" }>;
  reattached: number[];
}

const OPEN_FINDINGS = "reconcile.open-findings";
/** A finding still open after this long is posted again: a position without exits must not be forgotten. */
const REMIND_AFTER_MS = 4 * 3_600_000;

/**
 * Compares the journal with the broker (positions, open orders, executions) and says, once
 * per problem, what is wrong and how to fix it: missing exits, orphan orders, unknown or
 * vanished positions, quantity mismatches. Expired and assigned options are settled here.
 */
export class Reconciler {
  private last: ReconcileReport | null = null;

  constructor(
    private readonly deps: {
      db: Db;
      supervisor: ConnectionSupervisor;
      outbox: AlertOutbox;
      exits: ExitOrders;
      follow: ExitsFollowShort;
      clock: Clock;
      logger: Logger;
      timezone: string;
      autoReattach: boolean;
      account?: string;
      /** Posts a one-tap fix (an approval) for a finding; true when it did, so no plain alert is needed. */
      offerFix?: (finding: ReconcileFinding & FindingText) => Promise<boolean>;
    },
  ) {}

  get lastReport(): ReconcileReport | null {
    return this.last;
  }

  async run(trigger: string): Promise<ReconcileReport> {
    const { db, clock, supervisor } = this.deps;
    const session = supervisor.activeSession;
    if (!session) throw new NotConnectedError("reconciliation");
    const [brokerPositions, openOrders] = await Promise.all([session.positions(), session.openOrders()]);
    const now = clock.now();
    const today = zone(this.deps.timezone).wallTime(now).day;
    const stored = await positions.openPositions(db);
    const recent = await executions.executionsSince(db, new Date(now.getTime() - 10 * 86_400_000));
    const raw = reconcile({
      storedPositions: stored,
      brokerPositions,
      openOrders,
      account: this.deps.account,
      executions: recent,
      today,
    });
    const labels = labelsFrom(stored, brokerPositions);
    const settled = await this.settleVanished(raw);
    await this.deps.follow.rememberShares(brokerPositions);
    const settledIds = new Set(settled.map((s) => s.positionId));
    const findings = raw
      .filter((f) => !(f.kind === "vanished-position" && settledIds.has(f.positionId)))
      .filter((f) => !(f.kind === "unknown-position" && isAssignmentShares(f.position, settled)))
      .map((f) => ({ ...f, ...describeFinding(f, labels) }));

    const reattached = this.deps.autoReattach ? await this.autoReattach(findings) : [];
    const remaining = findings.filter((f) => !(f.positionId && reattached.includes(f.positionId)));
    await this.alertNew(remaining, trigger, now);
    this.last = { at: now.toISOString(), trigger, findings: remaining, settled, reattached };
    return this.last;
  }

  /**
   * Alerts findings not alerted in the last REMIND_AFTER_MS; remembers the open set, so a fixed
   * problem that comes back is new again. A finding with a one-tap fix (re-attach, adopt) is
   * posted as that approval instead of a plain alert.
   */
  private async alertNew(
    findings: Array<ReconcileFinding & FindingText>,
    trigger: string,
    now: Date,
  ): Promise<void> {
    const { db, outbox } = this.deps;
    const fresh = await db.transaction().execute(async (trx) => {
      const before = await settings.getSetting<Record<string, string>>(trx, OPEN_FINDINGS, {});
      const open: Record<string, string> = {};
      const fresh: Array<ReconcileFinding & FindingText> = [];
      for (const f of findings) {
        const last = before[f.key];
        if (last && now.getTime() - Date.parse(last) < REMIND_AFTER_MS) open[f.key] = last;
        else {
          open[f.key] = now.toISOString();
          fresh.push(f);
        }
      }
      await settings.setSetting(trx, OPEN_FINDINGS, open, now);
      if (fresh.length > 0) {
        await audit.audit(
          trx,
          "reconciler",
          "reconcile.findings",
          { trigger, keys: fresh.map((f) => f.key) },
          now,
        );
      }
      return fresh;
    });
    const plain: Alert[] = [];
    for (const f of fresh) {
      if (await this.offerFix(f)) continue;
      plain.push({
        type: "finding",
        finding: f.kind,
        key: f.key,
        text: f.text,
        advice: f.advice,
        ...(f.positionId ? { positionId: f.positionId } : {}),
      });
    }
    await outbox.raise(plain);
  }

  private async offerFix(f: ReconcileFinding & FindingText): Promise<boolean> {
    const fix = this.deps.offerFix;
    if (!fix) return false;
    try {
      return await fix(f);
    } catch (err) {
      this.deps.logger.error({ err, finding: f.key }, "could not offer a fix for a finding");
      return false;
    }
  }

  private async autoReattach(findings: Array<ReconcileFinding & FindingText>): Promise<number[]> {
    const done: number[] = [];
    for (const f of findings) {
      if (f.kind !== "missing-exits" || f.missing !== "both") continue;
      try {
        await this.deps.exits.attach(f.positionId, "auto-reattach");
        done.push(f.positionId);
      } catch (err) {
        this.deps.logger.error({ err, positionId: f.positionId }, "automatic re-attach failed");
      }
    }
    return done;
  }

  /**
   * A short gone from the broker that no execution in the journal explains is settled the one way
   * every path settles it (executions, completed orders, a share change, the expiry, else unknown).
   */
  private async settleVanished(findings: ReconcileFinding[]): Promise<ReconcileReport["settled"]> {
    const out: ReconcileReport["settled"] = [];
    const vanished = findings.filter((f): f is VanishedPositionFinding => f.kind === "vanished-position");
    for (const conId of new Set(vanished.filter((f) => f.explainedBy !== "execution").map((f) => f.conId))) {
      await this.deps.follow.settle(conId);
    }
    for (const f of vanished) {
      const now = await positions.positionById(this.deps.db, f.positionId);
      if (!now || now.status === "open") continue;
      const outcome = now.status === "expired" || now.status === "assigned" ? now.status : "closed";
      out.push({ positionId: f.positionId, outcome });
    }
    return out;
  }
}

function isAssignmentShares(
  p: { contract: { secType?: string; symbol?: string } },
  settled: ReconcileReport["settled"],
) {
  return p.contract.secType === "STK" && settled.some((s) => s.outcome === "assigned");
}

function labelsFrom(stored: PositionRow[], broker: BrokerPosition[]): (conId: number) => string {
  const map = new Map<number, string>();
  for (const b of broker) {
    const c = b.contract;
    map.set(
      c.conId,
      c.secType === "OPT"
        ? contractLabel({
            symbol: c.symbol,
            strike: c.strike ?? 0,
            right: c.right ?? "",
            expiry: c.expiry ?? "",
          })
        : `${c.symbol} ${c.secType}`,
    );
  }
  for (const p of stored) map.set(p.con_id, contractLabel(p));
  return (conId) => map.get(conId) ?? `conId ${conId}`;
}
