/** The simulator's state as plain JSON, for tests and the control API. */
import type { AccountValues } from "./accounting.js";
import type { ConnectionInfo } from "./connection.js";
import type { SimContext } from "./context.js";
import type { FaultModes } from "./faults.js";
import type { SimExecution, SimOrder } from "./types.js";
import { isLive } from "./types.js";

export interface PositionRow {
  account: string;
  conId: number;
  symbol: string;
  secType: string;
  localSymbol: string;
  expiry: string;
  strike: number;
  right: string;
  pos: number;
  avgCost: number;
}

export interface SimState {
  now: string;
  /** The first (default) account. */
  account: string;
  accounts: string[];
  spot: Record<string, number>;
  modes: FaultModes;
  connections: ConnectionInfo[];
  positions: PositionRow[];
  openOrders: SimOrder[];
  orders: SimOrder[];
  executions: SimExecution[];
  /** The first account's values. */
  accountValues: AccountValues;
  accountValuesByAccount: Record<string, AccountValues>;
}

export function buildState(ctx: SimContext): SimState {
  const orders = ctx.exchange.orders();
  return structuredClone({
    now: ctx.now().toISOString(),
    account: ctx.exchange.account,
    accounts: [...ctx.exchange.accounts],
    spot: { SPY: ctx.market.spot },
    modes: ctx.modes,
    connections: ctx.connections().map((c) => c.info()),
    positions: ctx.exchange.positions().map((p) => ({
      account: p.account,
      conId: p.contract.conId,
      symbol: p.contract.symbol,
      secType: p.contract.secType,
      localSymbol: p.contract.localSymbol,
      expiry: p.contract.expiry,
      strike: p.contract.strike,
      right: p.contract.right,
      pos: p.pos,
      avgCost: p.avgCost,
    })),
    openOrders: orders.filter(isLive),
    orders,
    executions: ctx.exchange.executions(),
    accountValues: ctx.exchange.values(),
    accountValuesByAccount: Object.fromEntries(ctx.exchange.accounts.map((a) => [a, ctx.exchange.values(a)])),
  });
}
