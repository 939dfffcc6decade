import { exitKindOf, isLiveOrderStatus } from "./live-orders.js";
import type {
  BrokerOrderInput,
  BrokerPositionInput,
  ExecutionInput,
  StoredPositionInput,
} from "./reconcile-inputs.js";

export interface ReconcileInput {
  storedPositions: readonly StoredPositionInput[];
  brokerPositions: readonly BrokerPositionInput[];
  /** All open orders (reqAllOpenOrders), any status; only live ones count. */
  openOrders: readonly BrokerOrderInput[];
  /** Only this account is reconciled; records with an empty account match any. Omit for all accounts. */
  account?: string;
  /** Recent executions, to explain positions that vanished. */
  executions?: readonly ExecutionInput[];
  /** YYYY-MM-DD in the exchange's zone; an option that expired before it explains a vanished position. */
  today?: string;
}

export interface StoredGroup {
  account: string;
  conId: number;
  positions: StoredPositionInput[];
}

export interface IndexedInput {
  storedGroups: StoredGroup[];
  brokerPositions: BrokerPositionInput[];
  /** Live BUY LMT/STP orders, by orderId. */
  exitOrders: BrokerOrderInput[];
  brokerOn(conId: number, account: string): BrokerPositionInput[];
  storedOn(conId: number, account: string): StoredPositionInput[];
  exitOrdersOn(conId: number, account: string): BrokerOrderInput[];
}

/** Indexes everything by conId once, so matching is a lookup instead of a scan. */
export function indexInput(input: ReconcileInput): IndexedInput {
  const inAccount = (account: string) => !input.account || !account || account === input.account;
  const stored = input.storedPositions
    .filter((p) => p.status === "open" && inAccount(p.account))
    .sort((a, b) => a.id - b.id);
  const brokerPositions = input.brokerPositions.filter((p) => p.quantity !== 0 && inAccount(p.account));
  const exitOrders = input.openOrders
    .filter((o) => isLiveOrderStatus(o.status) && exitKindOf(o) !== undefined && inAccount(o.account))
    .sort((a, b) => a.orderId - b.orderId);

  const storedByCon = groupBy(stored, (p) => p.con_id);
  const brokerByCon = groupBy(brokerPositions, (p) => p.contract.conId);
  const ordersByCon = groupBy(exitOrders, (o) => o.contract.conId);
  const matching = <T extends { account: string }>(items: T[] | undefined, account: string) =>
    (items ?? []).filter((item) => sameAccount(item.account, account));

  const groups = new Map<string, StoredGroup>();
  for (const p of stored) {
    const key = `${p.account}|${p.con_id}`;
    const group = groups.get(key) ?? { account: p.account, conId: p.con_id, positions: [] };
    group.positions.push(p);
    groups.set(key, group);
  }
  return {
    storedGroups: [...groups.values()],
    brokerPositions,
    exitOrders,
    brokerOn: (conId, account) => matching(brokerByCon.get(conId), account),
    storedOn: (conId, account) => matching(storedByCon.get(conId), account),
    exitOrdersOn: (conId, account) => matching(ordersByCon.get(conId), account),
  };
}

function sameAccount(a: string, b: string): boolean {
  return !a || !b || a === b;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const list = map.get(key(item));
    if (list) list.push(item);
    else map.set(key(item), [item]);
  }
  return map;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
