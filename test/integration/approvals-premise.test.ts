import { afterEach, describe, expect, it } from "vitest";
import type { Alert } from "../../src/trading/alerts.js";
import { startTradingWorld, type TradingWorld, until } from "../support/trading-world.js";
import { elapse } from "../support/world.js";

/** Approvals are questions about the account as it is: one per position, closed when their premise goes. */
let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

const posted = (world: TradingWorld, type: Alert["type"]) =>
  world.chat.delivered.map((d) => d.alert).filter((a) => a.type === type) as Array<
    Alert & Record<string, unknown>
  >;

async function journalWithoutExits(env: Record<string, string> = {}): Promise<TradingWorld> {
  const world = await startTradingWorld({ start: false, env });
  await world.adoptSeeded(625, 10);
  await world.adoptSeeded(629, 11);
  await world.adoptSeeded(632, 16);
  await world.boot();
  await world.quiet();
  return world;
}

describe("one pending approval per position, closed when its premise changes", () => {
  it("the three re-attach approvals of the start-up are superseded by a /reattach for the same positions", async () => {
    w = await journalWithoutExits();
    expect((await w.trading.approvals.pending()).filter((a) => a.kind === "reattach")).toHaveLength(3);
    const all = await w.trading.decisions.requestReattach([10, 11, 16], "console");
    await w.quiet();
    const pending = (await w.trading.approvals.pending()).filter((a) => a.kind === "reattach");
    expect(pending.map((a) => a.id)).toEqual([all.id]);
    const withdrawn = posted(w, "approval-withdrawn");
    expect(withdrawn).toHaveLength(3);
    for (const a of withdrawn) expect(a.reason).toBe(`superseded by approval ${all.id}`);
  });

  it("a re-attach approval is withdrawn at once when its position gets exits, and another when its position closes", async () => {
    w = await journalWithoutExits();
    const byPosition = async (id: number) =>
      (await w.trading.approvals.pending()).find(
        (a) => a.kind === "reattach" && a.summary.includes(`${id} SPY`),
      );
    expect(await byPosition(10)).toBeDefined();
    await w.trading.exits.attach(10, "test");
    await until(w, async () => (await byPosition(10)) === undefined, "the approval for 10 withdrawn");
    expect(posted(w, "approval-withdrawn").map((a) => a.reason)).toEqual([
      "position 10 now has a live TP and SL",
    ]);

    const p11 = w.sim.state().positions.find((p) => p.strike === 629)!;
    const manual = w.sim.placeOrder({
      conId: p11.conId,
      action: "BUY",
      quantity: 1,
      orderType: "LMT",
      lmtPrice: 0.05,
    });
    w.sim.fill({ orderId: manual.orderId, clientId: 0 }, 3);
    await until(w, () => w.supervisor.activeSession?.heldQuantity(p11.conId) === 0, "the short gone");
    w.clock.advance(5_000);
    await until(w, async () => (await byPosition(11)) === undefined, "the approval for 11 withdrawn");
    expect(posted(w, "approval-withdrawn").map((a) => a.reason)).toContain("position 11 closed");
  });

  it("an expiry post says what is still at risk", async () => {
    w = await journalWithoutExits({ APPROVAL_TTL_S: "60" });
    await elapse(w, 95_000, { stepMs: 2_000 });
    await w.quiet();
    const expired = posted(w, "approval-expired").find((a) => String(a.summary).includes("16 SPY"));
    expect(expired?.atRisk).toBe(
      "Still at risk: position 16 (SPY 632P 2026-04-17) has no live TP and SL; /reattach when you want them.",
    );
  });
});
