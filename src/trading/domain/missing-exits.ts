import { dayNumber } from "./calendar-days.js";
import { coverExits, exitsShareOca, summarizeExit } from "./exit-coverage.js";
import { exitKindOf, workingQuantity } from "./live-orders.js";
import { isOurRef } from "./order-refs.js";
import type { MissingExitsFinding, ReconcileFinding, VanishedPositionFinding } from "./reconcile-findings.js";
import { type IndexedInput, indexInput, type ReconcileInput, sum } from "./reconcile-index.js";
import type { BrokerOrderInput, ExecutionInput, StoredPositionInput } from "./reconcile-inputs.js";

export type { ReconcileInput };

/**
 * Compares the store with the broker and lists one finding per problem, in a stable order: per stored
 * contract (by lowest position id) vanished / quantity-mismatch / missing-exits / exits-not-oca, then
 * excess-exits, orphan-exit (by orderId) and unknown-position. Orders and positions are matched by
 * conId and, where both carry one, account. Only stored positions with status "open" are considered;
 * exits are checked for the short ones.
 */
export function reconcile(input: ReconcileInput): ReconcileFinding[] {
  const view = indexInput(input);
  const findings: ReconcileFinding[] = [];
  for (const group of view.storedGroups) {
    const { account, conId, positions } = group;
    const brokerQuantity = sum(view.brokerOn(conId, account).map((p) => p.quantity));
    if (brokerQuantity === 0) {
      for (const p of positions) findings.push(vanished(p, input.executions ?? [], input.today));
      continue;
    }
    const storedQuantity = sum(positions.map((p) => p.quantity));
    if (storedQuantity !== brokerQuantity) {
      const positionIds = positions.map((p) => p.id);
      findings.push({
        kind: "quantity-mismatch",
        account,
        conId,
        positionIds,
        storedQuantity,
        brokerQuantity,
      });
    }
    findings.push(...exitFindings(positions, view.exitOrdersOn(conId, account)));
  }
  findings.push(...excessAndOrphans(view));
  for (const position of view.brokerPositions) {
    const conId = position.contract.conId;
    if (view.storedOn(conId, position.account).length > 0) continue;
    findings.push({ kind: "unknown-position", account: position.account, conId, position });
  }
  return findings;
}

/** Only the missing-exits findings, for /reattach: stored open shorts without a live TP and/or SL. */
export function missingExits(
  input: Pick<ReconcileInput, "storedPositions" | "openOrders" | "account">,
): MissingExitsFinding[] {
  const view = indexInput({ ...input, brokerPositions: [] });
  return view.storedGroups.flatMap((group) =>
    exitFindings(group.positions, view.exitOrdersOn(group.conId, group.account)).filter(
      (f): f is MissingExitsFinding => f.kind === "missing-exits",
    ),
  );
}

function exitFindings(
  positions: readonly StoredPositionInput[],
  orders: readonly BrokerOrderInput[],
): ReconcileFinding[] {
  const shorts = positions.filter((p) => p.quantity < 0);
  const coverage = coverExits(shorts, orders);
  const findings: ReconcileFinding[] = [];
  for (const p of shorts) {
    const exits = coverage.get(p.id);
    if (!exits) continue;
    const ref = { positionId: p.id, account: p.account, conId: p.con_id, quantity: p.quantity };
    if (!exits.tpCovered || !exits.slCovered) {
      const missing = !exits.tpCovered && !exits.slCovered ? "both" : exits.tpCovered ? "sl" : "tp";
      findings.push({ kind: "missing-exits", ...ref, missing, present: [...exits.tp, ...exits.sl] });
    } else if (!exitsShareOca(exits)) {
      findings.push({ kind: "exits-not-oca", ...ref, tp: exits.tp, sl: exits.sl });
    }
  }
  return findings;
}

interface ExcessBucket {
  account: string;
  conId: number;
  shortQuantity: number;
  tp: BrokerOrderInput[];
  sl: BrokerOrderInput[];
}

function excessAndOrphans(view: IndexedInput): ReconcileFinding[] {
  const findings: ReconcileFinding[] = [];
  const excess = new Map<string, ExcessBucket>();
  for (const order of view.exitOrders) {
    const conId = order.contract.conId;
    const exit = exitKindOf(order);
    if (!exit) continue;
    const shortQuantity = -sum(view.brokerOn(conId, order.account).map((p) => p.quantity));
    if (shortQuantity <= 0) {
      const summary = summarizeExit(order, exit);
      findings.push({
        kind: "orphan-exit",
        account: order.account,
        conId,
        order: summary,
        ours: isOurRef(order.orderRef),
      });
      continue;
    }
    const key = `${order.account}|${conId}`;
    const bucket = excess.get(key) ?? { account: order.account, conId, shortQuantity, tp: [], sl: [] };
    bucket[exit].push(order);
    excess.set(key, bucket);
  }
  for (const bucket of excess.values()) {
    for (const exit of ["tp", "sl"] as const) {
      const liveQuantity = sum(bucket[exit].map(workingQuantity));
      if (liveQuantity <= bucket.shortQuantity) continue;
      const orders = bucket[exit].map((o) => summarizeExit(o, exit));
      findings.push({
        kind: "excess-exits",
        account: bucket.account,
        conId: bucket.conId,
        exit,
        liveQuantity,
        shortQuantity: bucket.shortQuantity,
        orders,
      });
    }
  }
  const rank = (f: ReconcileFinding) => (f.kind === "excess-exits" ? 0 : 1);
  return findings.sort((a, b) => rank(a) - rank(b));
}

function vanished(
  position: StoredPositionInput,
  executions: readonly ExecutionInput[],
  today: string | undefined,
): VanishedPositionFinding {
  const closingSide = position.quantity < 0 ? "BOT" : "SLD";
  const closing = executions.filter((e) => e.con_id === position.con_id && e.side === closingSide);
  const expiryDay = position.expiry ? dayNumber(position.expiry) : undefined;
  const todayNum = today ? dayNumber(today) : undefined;
  const explainedBy =
    closing.length > 0 && sum(closing.map((e) => e.shares)) >= Math.abs(position.quantity)
      ? "execution"
      : expiryDay !== undefined && todayNum !== undefined && expiryDay < todayNum
        ? "expiry"
        : null;
  return {
    kind: "vanished-position",
    positionId: position.id,
    account: position.account,
    conId: position.con_id,
    quantity: position.quantity,
    explainedBy,
    executions: closing,
  };
}
