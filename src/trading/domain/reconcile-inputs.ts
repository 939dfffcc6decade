import type { ExecutionRow, PositionRow } from "../../store/schema.js";
import type { BrokerContract, BrokerOrder, BrokerPosition } from "../broker.js";

/** What reconciliation reads of a stored position (a PositionRow fits). */
export type StoredPositionInput = Pick<PositionRow, "id" | "account" | "con_id" | "quantity" | "status"> &
  Partial<Pick<PositionRow, "expiry" | "symbol" | "strike" | "right">>;

/** What reconciliation reads of a broker position (a BrokerPosition fits). */
export type BrokerPositionInput = Pick<BrokerPosition, "account" | "quantity"> &
  Partial<Pick<BrokerPosition, "avgCost">> & {
    contract: Pick<BrokerContract, "conId"> & Partial<BrokerContract>;
  };

/** What reconciliation reads of an open order (a BrokerOrder fits). */
export type BrokerOrderInput = Pick<
  BrokerOrder,
  "orderId" | "orderRef" | "account" | "action" | "orderType" | "quantity" | "status"
> &
  Partial<Pick<BrokerOrder, "permId" | "remaining" | "limitPrice" | "auxPrice" | "ocaGroup" | "ocaType">> & {
    contract: Pick<BrokerContract, "conId">;
  };

/** What reconciliation reads of a recorded execution (an ExecutionRow fits). */
export type ExecutionInput = Pick<
  ExecutionRow,
  "exec_id" | "con_id" | "side" | "shares" | "price" | "executed_at"
>;
