/** The IB Gateway simulator: public surface. */
export type { AccountValues } from "./accounting.js";
export { NYSE_EARLY_CLOSES, NYSE_HOLIDAYS, sessionHours } from "./calendar.js";
export { expirationNear, listedExpirations, optionConId, SPY_CONID, spyOption } from "./chain.js";
export type { ConnectionInfo } from "./connection.js";
export type { SimLogger } from "./context.js";
export { type ControlServer, startControlServer } from "./control-http.js";
export type { FillTarget, OrderCause } from "./exchange.js";
export { MALFORMED_FRAME } from "./fault-actions.js";
export type { Fault, FaultInput, FaultType, StallTarget } from "./faults.js";
export {
  type CustomSeed,
  JOURNAL,
  journalSeed,
  type Seed,
  type SeedOrder,
  type SeedPosition,
} from "./seed.js";
export {
  IbSimulator,
  type ManualOrder,
  type RequestInfo,
  type SimEvents,
  type SimulatorOptions,
} from "./server.js";
export type { SimState } from "./state.js";
export type { SimContract, SimExecution, SimOrder, SimPosition } from "./types.js";
