/** Contract matching the way IB does it: by conId, or by whatever parts a request fills in. */
import { SPY_STOCK, spyOption } from "./chain.js";
import type { ContractSpec } from "./decode.js";
import type { Market } from "./market.js";
import type { Right, SimContract } from "./types.js";

const OCC = /^SPY\s+(\d{6})([PC])(\d{8})$/;

export function findContracts(spec: ContractSpec, market: Market): SimContract[] {
  if (spec.conId) {
    const found = market.byConId(spec.conId);
    return found ? [found] : [];
  }
  const occ = OCC.exec(spec.localSymbol.trim().toUpperCase());
  if (occ) {
    const option = spyOption(`20${occ[1]}`, Number(occ[3]) / 1000, occ[2] as Right);
    return market.isListed(option) ? [option] : [];
  }
  const symbol = (spec.symbol || spec.localSymbol).trim().toUpperCase();
  if (symbol !== "SPY") return [];
  const secType = spec.secType.trim().toUpperCase();
  const wantsOption = secType === "OPT" || (secType === "" && (spec.expiry !== "" || spec.strike > 0));
  if (!wantsOption) return secType === "STK" || secType === "" ? [SPY_STOCK] : [];
  const rights = parseRights(spec.right);
  if (!rights) return [];
  const expiries = market
    .expirations()
    .filter(
      (e) =>
        spec.expiry === "" || e === spec.expiry || (spec.expiry.length === 6 && e.startsWith(spec.expiry)),
    );
  const found: SimContract[] = [];
  for (const expiry of expiries) {
    const listed = market.strikesFor(expiry);
    const strikes = spec.strike > 0 ? listed.filter((s) => s === spec.strike) : listed;
    for (const strike of strikes) for (const right of rights) found.push(spyOption(expiry, strike, right));
  }
  return found;
}

function parseRights(text: string): Right[] | undefined {
  switch (text.trim().toUpperCase()) {
    case "":
    case "?":
      return ["C", "P"];
    case "P":
    case "PUT":
      return ["P"];
    case "C":
    case "CALL":
      return ["C"];
    default:
      return undefined;
  }
}
