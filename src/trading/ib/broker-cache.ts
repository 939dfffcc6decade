import type { CachePart } from "../alerts.js";
import type { AccountSummary, BrokerOrder, BrokerPosition } from "../broker.js";

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
