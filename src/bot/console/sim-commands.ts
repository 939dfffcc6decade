import type { IbSimulator } from "../../sim/index.js";
import type { SimConsole } from "./console-chat.js";

const FARMS = ["market", "hmds", "secdef"] as const;
type FarmName = (typeof FARMS)[number];
const STALLABLE = ["positions", "orders", "account"] as const;
type Stallable = (typeof STALLABLE)[number];

/** `sim ...` lines in the demo console, driving the in-process simulator. */
export function simConsole(sim: IbSimulator): SimConsole {
  return async ([verb = "", ...args]) => {
    switch (verb) {
      case "drop":
      case "hang":
      case "silent":
      case "clear":
      case "client-id-in-use":
      case "reject-next-order":
      case "duplicate-execution":
      case "malformed-frame":
      case "competing-session":
        sim.fault({ type: verb });
        return `simulator: ${verb}`;
      case "lost":
        sim.fault({ type: "connectivity-lost" });
        return "simulator: connectivity lost (1100)";
      case "restored": {
        const dataLost = args[0] === "data-lost";
        sim.fault({ type: "connectivity-restored", dataLost });
        return `simulator: connectivity restored (${dataLost ? 1101 : 1102})`;
      }
      case "farm-broken":
      case "farm-ok": {
        const farm = (args[0] ?? "market") as FarmName;
        if (!FARMS.includes(farm)) throw new Error(`farm must be one of ${FARMS.join(", ")}`);
        sim.fault({ type: verb, farm });
        return `simulator: ${farm} farm ${verb === "farm-ok" ? "OK" : "broken"}`;
      }
      case "stall": {
        const what = (args[0] ?? "positions").split(",") as Stallable[];
        const bad = what.filter((w) => !STALLABLE.includes(w));
        if (bad.length) throw new Error(`cannot stall ${bad.join(", ")}; use ${STALLABLE.join(",")}`);
        sim.fault({ type: "stall", what });
        return `simulator: not answering ${what.join(", ")} requests`;
      }
      case "fill": {
        const target = args[0];
        if (!target) throw new Error("usage: sim fill <orderId|orderRef> [price]");
        const price = args[1] === undefined ? undefined : Number(args[1]);
        if (price !== undefined && !Number.isFinite(price)) throw new Error(`"${args[1]}" is not a price`);
        const sel = /^\d+$/.test(target) ? { orderId: Number(target) } : { orderRef: target };
        const exec = sim.fill(sel, price);
        return `simulator: filled ${target} at ${exec.price} (execId ${exec.execId})`;
      }
      case "price": {
        const [symbol = "", raw = ""] = args;
        const price = Number(raw);
        if (!symbol || !Number.isFinite(price) || price <= 0) throw new Error("usage: sim price SPY 600");
        sim.setPrice(symbol.toUpperCase(), price);
        return `simulator: ${symbol.toUpperCase()} at ${price}`;
      }
      case "cancel": {
        const id = Number(args[0]);
        if (!Number.isInteger(id)) throw new Error("usage: sim cancel <orderId>");
        sim.cancel(id);
        return `simulator: cancelled order ${id}`;
      }
      case "expire":
      case "assign": {
        const conId = Number(args[0]);
        if (!Number.isInteger(conId)) throw new Error(`usage: sim ${verb} <conId> (see sim state)`);
        if (verb === "expire") sim.expire(conId);
        else sim.assign(conId);
        return `simulator: option ${conId} ${verb === "expire" ? "expired" : "assigned"}`;
      }
      case "state":
        return JSON.stringify(sim.state(), null, 2);
      default:
        throw new Error(`unknown sim command "${verb}"; type /help`);
    }
  };
}
