import { afterEach, describe, expect, it } from "vitest";
import { positions, trades } from "../../src/store/index.js";
import { startTradingWorld, type TradingWorld } from "../support/trading-world.js";

let w: TradingWorld;
afterEach(async () => {
  await w?.close();
});

const approvalsOf = (kind: string) =>
  w.chat.delivered.flatMap((d) =>
    d.alert.type === "approval-requested" && d.alert.kind === kind ? [d.alert] : [],
  );
const findings = () => w.chat.delivered.filter((d) => d.alert.type === "finding").map((d) => d.alert);

describe("reconciliation against the simulator", () => {
  it("the journal's three positions without exits: one re-attach approval each; approved, exits at the broker", async () => {
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
    const asks = approvalsOf("reattach");
    expect(asks.map((a) => a.summary.match(/: (\d+) SPY/)?.[1]).sort()).toEqual(["10", "11", "16"]);
    expect(asks[0]?.summary).toMatch(/TP \d+\.\d\d \/ SL \d+\.\d\d/);
    expect(findings()).toEqual([]);

    await w.trading.reconciler.run("test");
    await w.quiet();
    expect(approvalsOf("reattach")).toHaveLength(3);

    const ask10 = asks.find((a) => a.summary.includes(": 10 SPY"))!;
    const result = await w.trading.approvals.decideFromConsole(ask10.approvalId, "approve");
    expect(result).toMatchObject({
      ok: true,
      outcome: "executed",
      text: expect.stringMatching(/Exits attached: 10/),
    });
    const pos10 = w.sim.state().openOrders.filter((o) => o.ocaGroup === "tw:oca:10:1");
    expect(pos10.map((o) => o.orderType).sort()).toEqual(["LMT", "STP"]);
    const report = await w.trading.reconciler.run("test");
    expect(report.findings.map((f) => f.positionId).sort()).toEqual([11, 16]);

    const again = await w.trading.approvals.decideFromConsole(ask10.approvalId, "approve");
    expect(again).toMatchObject({ ok: false, reason: "already-decided" });
    expect(w.sim.state().openOrders.filter((o) => o.ocaGroup.startsWith("tw:oca:10"))).toHaveLength(2);
  });

  it("a broker position the journal does not know: an adopt approval; adopting attaches exits only where missing", async () => {
    w = await startTradingWorld();
    await w.quiet();
    const asks = approvalsOf("adopt");
    expect(asks).toHaveLength(4);
    const a624 = asks.find((a) => a.summary.includes("624P"))!;
    const a625 = asks.find((a) => a.summary.includes("625P"))!;
    expect(await w.trading.approvals.decideFromConsole(a624.approvalId, "approve")).toMatchObject({
      ok: true,
      text: expect.stringMatching(/already cover it/),
    });
    expect(await w.trading.approvals.decideFromConsole(a625.approvalId, "approve")).toMatchObject({
      ok: true,
      text: expect.stringMatching(/TP \d+\.\d\d and SL \d+\.\d\d attached/),
    });
    const report = await w.trading.reconciler.run("test");
    expect(report.findings.filter((f) => f.kind !== "unknown-position")).toEqual([]);
    expect(report.findings.filter((f) => f.kind === "unknown-position")).toHaveLength(2);
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
      text: expect.stringMatching(/bought 100 SPY shares at 700/),
    });
    expect(findings().filter((f) => f.type === "finding" && f.finding === "unknown-position")).toEqual([]);
  });
});
