import type {
  BrokerOrderInput,
  BrokerPositionInput,
  ExecutionInput,
  StoredPositionInput,
} from "../../src/trading/domain/reconcile-inputs.js";

export const ACCOUNT = "DU1234567";

/** The journal's four short puts, all expiring 2026-04-30; conId = 1000 + strike. */
export const JOURNAL_POSITIONS = [
  { id: 18, strike: 624, credit: 6.16, tp: 2.46, sl: 18.48 },
  { id: 10, strike: 625, credit: 6.08, tp: 2.43, sl: 18.24 },
  { id: 11, strike: 629, credit: 6.15, tp: 2.46, sl: 18.45 },
  { id: 16, strike: 632, credit: 5.94, tp: 2.38, sl: 17.82 },
] as const;

export function stored(
  id: number,
  conId: number,
  overrides: Partial<StoredPositionInput> = {},
): StoredPositionInput {
  return {
    id,
    account: ACCOUNT,
    con_id: conId,
    quantity: -1,
    status: "open",
    expiry: "20260430",
    symbol: "SPY",
    right: "P",
    ...overrides,
  };
}

export function held(conId: number, quantity = -1, account = ACCOUNT): BrokerPositionInput {
  return { account, contract: { conId, symbol: "SPY", secType: "OPT" }, quantity, avgCost: 608 };
}

let nextOrderId = 100;

export function order(
  conId: number,
  orderType: "LMT" | "STP" | "MKT",
  overrides: Partial<BrokerOrderInput> = {},
): BrokerOrderInput {
  nextOrderId += 1;
  return {
    orderId: nextOrderId,
    orderRef: "",
    account: ACCOUNT,
    action: "BUY",
    orderType,
    quantity: 1,
    status: "Submitted",
    contract: { conId },
    ...(orderType === "LMT" ? { limitPrice: 2.46 } : orderType === "STP" ? { auxPrice: 18.48 } : {}),
    ...overrides,
  };
}

/** A TP and SL for a position, in one OCA group, as the bot attaches them. */
export function exitPair(positionId: number, conId: number, quantity = 1): BrokerOrderInput[] {
  const ocaGroup = `tw:oca:${positionId}:1`;
  return [
    order(conId, "LMT", { orderRef: `tw:tp:${positionId}`, ocaGroup, ocaType: 1, quantity }),
    order(conId, "STP", { orderRef: `tw:sl:${positionId}`, ocaGroup, ocaType: 1, quantity }),
  ];
}

export function bought(conId: number, shares = 1, price = 2.46): ExecutionInput {
  return {
    exec_id: `0001f4e8.${conId}.01.01`,
    con_id: conId,
    side: "BOT",
    shares,
    price,
    executed_at: "2026-02-05T15:00:00.000Z",
  };
}
