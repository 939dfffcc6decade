import { afterEach, describe, expect, it } from "vitest";
import { positions, trades } from "../../src/store/index.js";
import { startTradingWorld, type TradingWorld } from "../support/trading-world.js";

let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

const findings = () => w.chat.delivered.filter((d) => d.alert.type === "finding").map((d) => d.alert);

describe("reconciliation against the simulator", () => {
  it("finds the journal's three positions without exits, once each, and not the covered one", async () => {
    w = await startTradingWorld({ start: false });
    for (const [strike, id] of [
      [625, 10],
      [629, 11],
      [632, 16],
      [624, 18],
    ] as const) {
      await w.adoptSeeded(strike, id);
    }
    await w.boot();
    await w.quiet();
    const missing = findings().filter((f) => f.type === "finding" && f.finding === "missing-exits");
    expect(missing.map((f) => f.type === "finding" && f.positionId).sort()).toEqual([10, 11, 16]);
    expect(missing[0]).toMatchObject({ advice: expect.stringMatching(/\/reattach/) });
    expect(findings().filter((f) => f.type === "finding" && f.finding === "unknown-position")).toEqual([]);

    await w.trading.reconciler.run("test");
    await w.quiet();
    expect(findings()).toHaveLength(3);

    await w.trading.exits.attach(10, "test");
    const report = await w.trading.reconciler.run("test");
    expect(report.findings.map((f) => f.positionId).sort()).toEqual([11, 16]);
  });

  it("reports a broker position the journal does not know, as a manual trade to adopt", async () => {
    w = await startTradingWorld();
    await w.quiet();
    const unknown = findings().filter((f) => f.type === "finding" && f.finding === "unknown-position");
    expect(unknown).toHaveLength(4);
    expect(unknown[0]).toMatchObject({ advice: expect.stringMatching(/[Aa]dopt/) });
  });

  it("an option that expired out of the money while the bot was off: closed as expired, credit kept", async () => {
    w = await startTradingWorld({
      seed: {
        positions: [{ contract: { expiry: "20260206", strike: 600, right: "P" }, qty: -1, price: 1.2 }],
      },
      start: false,
    });
    const pos = await w.adoptSeeded(600);
    await w.boot();
    await w.kill();
    w.clock.set("2026-02-09T15:00:00Z");
    w.sim.expire(pos.con_id);
    await w.boot();
    await w.quiet();
    expect(await positions.positionById(w.db, pos.id)).toMatchObject({
      status: "expired",
      close_reason: "expired",
    });
    const [trade] = await trades.tradesForPosition(w.db, pos.id);
    expect(trade).toMatchObject({ reason: "expired", pnl: 120 });
    const closed = w.chat.delivered.find((d) => d.alert.type === "position-closed");
    expect(closed?.alert).toMatchObject({ reason: "expired", text: expect.stringMatching(/whole credit/) });
  });

  it("an assigned put: the position is closed as assigned and the shares are explained", async () => {
    w = await startTradingWorld({
      seed: {
        positions: [{ contract: { expiry: "20260320", strike: 700, right: "P" }, qty: -1, price: 25 }],
      },
      start: false,
    });
    const pos = await w.adoptSeeded(700);
    await w.boot();
    w.sim.assign(pos.con_id);
    await w.trading.reconciler.run("test");
    await w.quiet();
    expect(await positions.positionById(w.db, pos.id)).toMatchObject({ status: "assigned" });
    const assigned = w.chat.delivered.find((d) => d.alert.type === "assigned");
    expect(assigned?.alert).toMatchObject({
      shares: 100,
      text: expect.stringMatching(/100 SPY shares bought at 700/),
    });
    expect(findings().filter((f) => f.type === "finding" && f.finding === "unknown-position")).toEqual([]);
  });
});
