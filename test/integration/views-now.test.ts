import { afterEach, describe, expect, it } from "vitest";
import { exitCoverageText } from "../../src/bot/status-text.js";
import { TradingOps } from "../../src/bot/trading-ops.js";
import { ordersText, positionsText } from "../../src/bot/views.js";
import { startTradingWorld, type TradingWorld, until } from "../support/trading-world.js";
import { elapse } from "../support/world.js";

let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

const opsOf = (world: TradingWorld) =>
  new TradingOps({ db: world.db, clock: world.clock, supervisor: world.supervisor, trading: world.trading });

describe("views read the truth at the moment they are asked", () => {
  it("/positions while the gateway hangs: exits unknown since when, never MISSING", async () => {
    w = await startTradingWorld();
    const pos = await w.adoptSeeded(625, 10);
    await w.trading.exits.attach(pos.id, "test");
    await w.quiet();
    const ops = opsOf(w);
    expect(positionsText(await ops.positions(false))).toMatch(
      /#10 .* \| TP \d+\.\d\d live \| SL \d+\.\d\d live/,
    );
    w.sim.fault({ type: "hang" });
    for (let i = 0; i < 40 && w.supervisor.current.state === "connected"; i++)
      await elapse(w, 500, { gatewayAnswers: false });
    const text = positionsText(await ops.positions(false));
    expect(text).toMatch(/#10 .* \| exits unknown \(not connected since \d\d:\d\d ET\)/);
    expect(text).not.toMatch(/MISSING/);
    expect(ordersText(await ops.orders())).toMatch(
      /^Open orders unknown: not connected since \d\d:\d\d ET\.$/,
    );
  });

  it("/orders shows the entry's new limit right after a ladder step, and its exits right after they are attached", async () => {
    w = await startTradingWorld();
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    await w.supervisor.refreshAll();
    const ops = opsOf(w);
    expect((await ops.orders()).orders.find((o) => o.orderRef === p.orderRef)?.price).toBe(p.limit);
    await elapse(w, 30_000, { stepMs: 5_000 });
    const stepped = Math.max(p.floor, Math.round((p.limit - 0.05) * 100) / 100);
    await until(
      w,
      () => w.sim.state().orders.find((o) => o.orderRef === p.orderRef)?.lmtPrice === stepped,
      "a step",
    );
    // No refresh in between: the view follows the order's own news.
    await until(
      w,
      async () => (await ops.orders()).orders.find((o) => o.orderRef === p.orderRef)?.price === stepped,
      "the view",
    );
    w.sim.fill({ orderRef: p.orderRef });
    await until(
      w,
      async () =>
        (await ops.orders()).orders.filter(
          (o) => o.contract === p.label && /^tw:(tp|sl):/.test(o.orderRef ?? ""),
        ).length === 2,
      "exits in the view",
    );
    expect((await ops.orders()).orders.map((o) => o.orderRef)).not.toContain(p.orderRef);
    expect(positionsText(await ops.positions(false))).toMatch(/TP \d+\.\d\d live \| SL \d+\.\d\d live/);
  });
});

describe("/status and /positions agree", () => {
  it("covered, then missing a TP, then unknown: the two views say the same thing at each step", async () => {
    w = await startTradingWorld({ seed: "empty" });
    const ops = opsOf(w);
    const p = await w.trading.entries.preview("2026-02-04");
    await w.trading.entries.place(p);
    w.sim.fill({ orderRef: p.orderRef });
    await until(
      w,
      () => w.sim.state().openOrders.filter((o) => /^tw:(tp|sl):/.test(o.orderRef)).length === 2,
      "exits",
    );
    await w.supervisor.refreshAll();
    const both = async () => ({
      status: exitCoverageText((await ops.scheduleStatus()).uncoveredShorts),
      positions: positionsText(await ops.positions(false)),
    });

    let now = await both();
    expect(now.status).toBe("every short at the broker has a live TP and SL");
    expect(now.positions).toMatch(/TP \d+\.\d\d live \| SL \d+\.\d\d live/);

    const tp = w.sim.state().openOrders.find((o) => o.orderRef.startsWith("tw:tp:"))!;
    w.sim.cancel(tp.orderId, tp.clientId);
    await until(w, async () => (await both()).positions.includes("TP MISSING"), "the TP gone from the view");
    now = await both();
    expect(now.status).toMatch(/^MISSING at the broker on SPY \d+P \S+ \(short 1: TP 0, SL 1\)$/);
    expect(now.positions).toMatch(/TP MISSING \| SL \d+\.\d\d live/);

    w.sim.fault({ type: "drop" });
    await w.reach("disconnected");
    now = await both();
    expect(now.status).toMatch(/^unknown/);
    expect(now.positions).toMatch(/exits unknown \(not connected since \d\d:\d\d ET\)/);
  });
});
