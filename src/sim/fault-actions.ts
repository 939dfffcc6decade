/** What each fault does to the running simulator. */
import type { Fault } from "./faults.js";
import { DEFAULT_REJECT_REASON, farmMessage, MESSAGES, marketDataCodeMessage } from "./faults.js";
import { executionMessages } from "./handle-orders.js";
import type { IbSimulator } from "./server.js";

/** A garbage frame the client's decoder reports (two code-505 errors) and survives: an unknown message id. */
export const MALFORMED_FRAME = ["999", "simulated malformed frame"];

export function applyFault(sim: IbSimulator, fault: Fault): void {
  const modes = sim.modes;
  switch (fault.type) {
    case "drop":
      for (const conn of sim.connections()) conn.socket.destroy();
      return;
    case "hang":
      modes.hang = true;
      return;
    case "hang-at-next-order":
      modes.hangAtNextOrder = true;
      return;
    case "silent":
      modes.silent = true;
      return;
    case "connectivity-lost":
      modes.connectivityLost = true;
      sim.exchange.autoFill = false;
      sim.broadcast(1100, MESSAGES.lost);
      return;
    case "connectivity-restored":
      restoreConnectivity(sim, fault.dataLost);
      return;
    case "farm-broken":
    case "farm-ok": {
      const ok = fault.type === "farm-ok";
      modes.brokenFarms = modes.brokenFarms.filter((f) => f !== fault.farm);
      if (!ok) modes.brokenFarms.push(fault.farm);
      const { code, message } = farmMessage(fault.farm, ok);
      sim.broadcast(code, message);
      return;
    }
    case "client-id-in-use":
      modes.clientIdInUse = true;
      return;
    case "reject-next-order":
      modes.rejectNextOrder = fault.reason ?? DEFAULT_REJECT_REASON;
      return;
    case "inactive-next-order":
      modes.inactiveNextOrder = fault.reason ?? MESSAGES.inactive;
      return;
    case "warn-next-order":
      modes.warnNextOrder = {
        code: fault.code,
        message: fault.message ?? (fault.code === 2109 ? MESSAGES.warn2109 : MESSAGES.warn399),
      };
      return;
    case "duplicate-execution": {
      const last = sim.exchange.executions().at(-1);
      if (!last) throw new Error("duplicate-execution: there is no execution yet");
      sim.connectionOf(last.clientId)?.sendAll(executionMessages(-1, last, sim.execTimeFormat));
      return;
    }
    case "malformed-frame":
      for (const conn of sim.connections()) if (conn.ready) conn.send(MALFORMED_FRAME);
      return;
    case "stall":
      modes.stall = [...new Set([...modes.stall, ...fault.what])];
      return;
    case "competing-session":
      modes.competingSession = true;
      return;
    case "market-data-code":
      modes.marketDataCode = {
        code: fault.code,
        message: fault.message ?? marketDataCodeMessage(fault.code),
      };
      return;
    case "clear":
      Object.assign(modes, {
        hang: false,
        hangAtNextOrder: false,
        silent: false,
        clientIdInUse: false,
        competingSession: false,
        stall: [],
      });
      modes.rejectNextOrder = undefined;
      modes.marketDataCode = undefined;
      modes.inactiveNextOrder = undefined;
      modes.warnNextOrder = undefined;
      sim.releaseHeld();
      if (modes.connectivityLost) restoreConnectivity(sim, false);
      return;
  }
}

function restoreConnectivity(sim: IbSimulator, dataLost: boolean): void {
  sim.modes.connectivityLost = false;
  sim.exchange.autoFill = true;
  sim.broadcast(dataLost ? 1101 : 1102, dataLost ? MESSAGES.restoredLost : MESSAGES.restoredKept);
  sim.deliverWithheld(dataLost);
  sim.exchange.evaluate();
}
