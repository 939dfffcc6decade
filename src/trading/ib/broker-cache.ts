import type { CachePart } from "../alerts.js";
import type { AccountSummary, BrokerOrder, BrokerPosition, OrderStatusUpdate } from "../broker.js";
import { isLiveOrderStatus } from "../domain/live-orders.js";

interface Part<T> {
  value: T | undefined;
  refreshedAt: number | undefined;
}

export interface CacheAges {
  positions: number | null;
  orders: number | null;
  account: number | null;
}

/**
 * What we last learned from the broker, each part with the time it was refreshed.
 * A part is `undefined` (unknown) until it is first refreshed and again after the
 * connection is lost: nothing reads yesterday's truth as today's.
 */
export class BrokerCache {
  private parts: {
    positions: Part<BrokerPosition[]>;
    orders: Part<BrokerOrder[]>;
    account: Part<AccountSummary>;
  } = {
    positions: { value: undefined, refreshedAt: undefined },
    orders: { value: undefined, refreshedAt: undefined },
    account: { value: undefined, refreshedAt: undefined },
  };

  get positions(): BrokerPosition[] | undefined {
    return this.parts.positions.value;
  }
  get orders(): BrokerOrder[] | undefined {
    return this.parts.orders.value;
  }
  get account(): AccountSummary | undefined {
    return this.parts.account.value;
  }

  setPositions(v: BrokerPosition[], now: number): void {
    this.parts.positions = { value: v, refreshedAt: now };
  }
  setOrders(v: BrokerOrder[], now: number): void {
    this.parts.orders = { value: v, refreshedAt: now };
  }
  setAccount(v: AccountSummary, now: number): void {
    this.parts.account = { value: v, refreshedAt: now };
  }

  /** An order's news (openOrder): it replaces that order, or joins the list; the part's age is unchanged. */
  upsertOrder(order: BrokerOrder): void {
    const list = this.parts.orders.value;
    if (!list) return;
    const same = (o: BrokerOrder) =>
      (order.permId && o.permId === order.permId) ||
      (o.orderId === order.orderId && o.clientId === order.clientId);
    const rest = list.filter((o) => !same(o));
    this.parts.orders.value = isLiveOrderStatus(order.status) ? [...rest, order] : rest;
  }

  /** A status change: an order that ended leaves the open orders; one still working takes the new status. */
  applyOrderStatus(u: OrderStatusUpdate): void {
    const list = this.parts.orders.value;
    if (!list) return;
    const same = (o: BrokerOrder) =>
      (u.permId && o.permId === u.permId) || (o.orderId === u.orderId && o.clientId === u.clientId);
    this.parts.orders.value = list.flatMap((o) => {
      if (!same(o)) return [o];
      if (!isLiveOrderStatus(u.status)) return [];
      return [{ ...o, status: u.status, filled: u.filled, remaining: u.remaining }];
    });
  }

  refreshedAt(part: CachePart): number | undefined {
    return this.parts[part].refreshedAt;
  }

  ages(now: number): CacheAges {
    const age = (p: CachePart) => {
      const at = this.parts[p].refreshedAt;
      return at === undefined ? null : now - at;
    };
    return { positions: age("positions"), orders: age("orders"), account: age("account") };
  }

  /** The connection that vouched for this data is gone. */
  markUnknown(): void {
    for (const p of Object.values(this.parts)) {
      p.value = undefined;
      p.refreshedAt = undefined;
    }
  }
}

export const CACHE_PARTS: CachePart[] = ["positions", "orders", "account"];
