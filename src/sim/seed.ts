/** Starting positions and orders: the journal's account, an empty one, or a custom one. */
import { expirationNear, SPY_STOCK, spyOption } from "./chain.js";
import type { Exchange } from "./exchange.js";
import type { Action, OrderType, Right, SimContract } from "./types.js";

export interface SeedContract {
  secType?: "OPT" | "STK";
  expiry?: string;
  strike?: number;
  right?: Right;
}

export interface SeedPosition {
  contract: SeedContract;
  /** Signed: -1 is one short contract. */
  qty: number;
  /** Entry price per share; avgCost becomes price * multiplier. */
  price: number;
}

export interface SeedOrder {
  clientId: number;
  orderId: number;
  contract: SeedContract;
  action: Action;
  orderType: OrderType;
  totalQuantity: number;
  lmtPrice?: number;
  auxPrice?: number;
  tif?: string;
  ocaGroup?: string;
  ocaType?: number;
  orderRef?: string;
}

export interface CustomSeed {
  positions?: SeedPosition[];
  orders?: SeedOrder[];
}

export type Seed = "journal" | "empty" | CustomSeed;

/** The journal of 2026-02-04: four short SPY puts; only the 624P kept its TP/SL exits. */
export const JOURNAL = {
  /** The journal's expiry was 20260430; the seed uses the listed expiration nearest to now + 70 days. */
  targetDte: 70,
  puts: [
    {
      strike: 624,
      credit: 6.16,
      exits: {
        tp: 2.46,
        sl: 18.48,
        tpOrderId: 101,
        slOrderId: 102,
        tpRef: "tw:tp:seed-18",
        slRef: "tw:sl:seed-18",
        ocaGroup: "tw:oca:seed-18",
      },
    },
    { strike: 625, credit: 6.08 },
    { strike: 629, credit: 6.15 },
    { strike: 632, credit: 5.95 },
  ],
} as const;

export function journalSeed(now: Date, ownerClientId: number): CustomSeed {
  const expiry = expirationNear(now, JOURNAL.targetDte);
  const contract = (strike: number): SeedContract => ({ secType: "OPT", expiry, strike, right: "P" });
  const positions = JOURNAL.puts.map((p) => ({ contract: contract(p.strike), qty: -1, price: p.credit }));
  const [first] = JOURNAL.puts;
  const exits = first.exits;
  const common = {
    clientId: ownerClientId,
    contract: contract(first.strike),
    action: "BUY" as const,
    totalQuantity: 1,
    tif: "GTC",
    ocaGroup: exits.ocaGroup,
    ocaType: 1,
  };
  const orders: SeedOrder[] = [
    { ...common, orderId: exits.tpOrderId, orderType: "LMT", lmtPrice: exits.tp, orderRef: exits.tpRef },
    { ...common, orderId: exits.slOrderId, orderType: "STP", auxPrice: exits.sl, orderRef: exits.slRef },
  ];
  return { positions, orders };
}

export function seedContract(spec: SeedContract): SimContract {
  if (spec.secType === "STK") return SPY_STOCK;
  if (!spec.expiry || !spec.strike || !spec.right)
    throw new Error("a seeded option needs expiry, strike and right");
  return spyOption(spec.expiry, spec.strike, spec.right);
}

export function applySeed(exchange: Exchange, seed: CustomSeed): void {
  for (const p of seed.positions ?? []) exchange.seedPosition(seedContract(p.contract), p.qty, p.price);
  for (const o of seed.orders ?? []) {
    const result = exchange.place(o.clientId, {
      orderId: o.orderId,
      contract: seedContract(o.contract),
      action: o.action,
      totalQuantity: o.totalQuantity,
      orderType: o.orderType,
      lmtPrice: o.lmtPrice,
      auxPrice: o.auxPrice,
      tif: o.tif ?? "GTC",
      ocaGroup: o.ocaGroup ?? "",
      ocaType: o.ocaType ?? 0,
      account: exchange.account,
      orderRef: o.orderRef ?? "",
      parentId: 0,
      transmit: true,
      outsideRth: false,
    });
    if (!result.ok) throw new Error(`seed order ${o.orderId} rejected: ${result.message}`);
  }
}
