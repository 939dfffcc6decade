import type { Clock } from "./clock.js";
import type { IbSimulator, SimState } from "./sim/index.js";
import { type Db, positions } from "./store/index.js";
import type { NewPosition } from "./store/positions.js";

/** The journal's position ids for the seeded puts: 18 kept its exits, 10, 11 and 16 lost theirs. */
const JOURNAL_IDS: Record<number, number> = { 624: 18, 625: 10, 629: 11, 632: 16 };

/**
 * In a demo the journal starts as the trader's did: the four short puts the simulated account
 * holds, under their journal ids, so the first reconciliation finds the three without exits.
 * Only into an empty journal: a demo database that has history keeps it.
 */
export async function seedDemoJournal(db: Db, sim: IbSimulator, clock: Clock): Promise<number> {
  if ((await positions.countPositions(db)) > 0) return 0;
  const now = clock.now();
  let seeded = 0;
  await db.transaction().execute(async (trx) => {
    for (const p of sim.state().positions) {
      const id = JOURNAL_IDS[p.strike];
      if (!id || p.secType !== "OPT") continue;
      await positions.insertPosition(trx, { id, ...adoptedPosition(p, now) }, now);
      seeded++;
    }
  });
  return seeded;
}

/**
 * A short option the simulated account holds, as a journal position the bot adopted: entry at
 * IB's average cost unless `entryPrice` says otherwise. Adopted, not the strategy's own: recovery
 * does not re-attach their exits unasked.
 */
export function adoptedPosition(
  p: SimState["positions"][number],
  openedAt: Date,
  entryPrice = p.avgCost / 100,
): NewPosition {
  return {
    strategy: "spy-put",
    account: p.account,
    conId: p.conId,
    symbol: p.symbol,
    secType: "OPT",
    expiry: p.expiry,
    strike: p.strike,
    right: "P",
    quantity: p.pos,
    entryPrice,
    source: "adopted",
    openedAt,
  };
}
