import { describe, expect, it } from "vitest";
import { missingExits, reconcile } from "../../src/trading/domain/missing-exits.js";
import type { ReconcileFinding } from "../../src/trading/domain/reconcile-findings.js";
import { ACCOUNT, bought, exitPair, held, JOURNAL_POSITIONS, order, stored } from "./reconcile-fixtures.js";

const conIdOf = (strike: number) => 1000 + strike;
const kinds = (findings: ReconcileFinding[]) => findings.map((f) => f.kind);

describe("reconcile: the journal's morning", () => {
  const storedPositions = JOURNAL_POSITIONS.map((p) => stored(p.id, conIdOf(p.strike)));
  const brokerPositions = JOURNAL_POSITIONS.map((p) => held(conIdOf(p.strike)));
  const openOrders = exitPair(18, conIdOf(624));

  it("finds the three positions without exits, and nothing else", () => {
    const findings = reconcile({ storedPositions, brokerPositions, openOrders, account: ACCOUNT });
    expect(findings).toEqual([
      {
        kind: "missing-exits",
        positionId: 10,
        account: ACCOUNT,
        conId: 1625,
        quantity: -1,
        missing: "both",
        present: [],
      },
      {
        kind: "missing-exits",
        positionId: 11,
        account: ACCOUNT,
        conId: 1629,
        quantity: -1,
        missing: "both",
        present: [],
      },
      {
        kind: "missing-exits",
        positionId: 16,
        account: ACCOUNT,
        conId: 1632,
        quantity: -1,
        missing: "both",
        present: [],
      },
    ]);
  });

  it("missingExits gives the same list for /reattach", () => {
    expect(missingExits({ storedPositions, openOrders, account: ACCOUNT }).map((f) => f.positionId)).toEqual([
      10, 11, 16,
    ]);
  });

  it("is clean once every position has its exits", () => {
    const allExits = JOURNAL_POSITIONS.flatMap((p) => exitPair(p.id, conIdOf(p.strike)));
    expect(reconcile({ storedPositions, brokerPositions, openOrders: allExits, account: ACCOUNT })).toEqual(
      [],
    );
  });
});

describe("reconcile: exits of one position", () => {
  const conId = 1624;
  const base = { storedPositions: [stored(18, conId)], brokerPositions: [held(conId)], account: ACCOUNT };
  const [tp, sl] = exitPair(18, conId) as [ReturnType<typeof order>, ReturnType<typeof order>];

  it.each([
    { note: "both present", orders: [tp, sl], expected: [] },
    { note: "TP only", orders: [tp], expected: [{ kind: "missing-exits", missing: "sl" }] },
    { note: "SL only", orders: [sl], expected: [{ kind: "missing-exits", missing: "tp" }] },
    { note: "neither", orders: [], expected: [{ kind: "missing-exits", missing: "both" }] },
    {
      note: "a cancelled SL does not count",
      orders: [tp, { ...sl, status: "Cancelled" }],
      expected: [{ kind: "missing-exits", missing: "sl" }],
    },
    ...["Filled", "Inactive", "ApiCancelled", "PendingCancel"].map((status) => ({
      note: `a ${status} TP does not count`,
      orders: [{ ...tp, status }, sl],
      expected: [{ kind: "missing-exits", missing: "tp" }],
    })),
    ...["PreSubmitted", "PendingSubmit", "ApiPending"].map((status) => ({
      note: `a ${status} order is live`,
      orders: [
        { ...tp, status },
        { ...sl, status },
      ],
      expected: [],
    })),
    {
      note: "a SELL LMT is not a TP",
      orders: [{ ...tp, action: "SELL" as const }, sl],
      expected: [{ kind: "missing-exits", missing: "tp" }],
    },
    {
      note: "a BUY STP LMT is an SL too (STRATEGY_SL_ORDER=stp-lmt)",
      orders: [tp, { ...sl, orderType: "STP LMT" }],
      expected: [],
    },
    {
      note: "an order on another contract does not count",
      orders: [tp, { ...sl, contract: { conId: 9999 } }],
      expected: [{ kind: "missing-exits", missing: "sl" }, { kind: "orphan-exit" }],
    },
    {
      note: "an order in another account does not count",
      orders: [tp, { ...sl, account: "DU7654321" }],
      expected: [{ kind: "missing-exits", missing: "sl" }],
    },
    {
      note: "an order without an account matches by conId",
      orders: [tp, { ...sl, account: "" }],
      expected: [],
    },
    {
      note: "manual exits placed in TWS (no ref) count, in one OCA group",
      orders: [
        { ...tp, orderRef: "", ocaGroup: "manual" },
        { ...sl, orderRef: "", ocaGroup: "manual" },
      ],
      expected: [],
    },
    {
      note: "TP and SL in different OCA groups",
      orders: [tp, { ...sl, ocaGroup: "tw:oca:18:2" }],
      expected: [
        { kind: "exits-not-oca", tp: [{ ocaGroup: "tw:oca:18:1" }], sl: [{ ocaGroup: "tw:oca:18:2" }] },
      ],
    },
    {
      note: "TP and SL without any OCA group",
      orders: [
        { ...tp, ocaGroup: undefined },
        { ...sl, ocaGroup: "" },
      ],
      expected: [{ kind: "exits-not-oca" }],
    },
    {
      note: "a partly filled TP covers only what remains",
      orders: [{ ...tp, quantity: 1, remaining: 0 }, sl],
      expected: [{ kind: "missing-exits", missing: "tp" }],
    },
  ])("$note", ({ orders, expected }) => {
    const findings = reconcile({ ...base, openOrders: orders });
    expect(findings).toMatchObject(expected);
    expect(findings).toHaveLength(expected.length);
  });

  it("lists what is present when one exit is missing, for the re-attach to cancel", () => {
    const [finding] = reconcile({ ...base, openOrders: [tp] });
    expect(finding).toEqual({
      kind: "missing-exits",
      positionId: 18,
      account: ACCOUNT,
      conId,
      quantity: -1,
      missing: "sl",
      present: [
        {
          orderId: tp.orderId,
          orderRef: "tw:tp:18",
          exit: "tp",
          quantity: 1,
          price: 2.46,
          ocaGroup: "tw:oca:18:1",
        },
      ],
    });
  });
});

describe("reconcile: quantities", () => {
  const conId = 1624;

  it.each([
    {
      note: "exits smaller than a 2-lot",
      position: stored(18, conId, { quantity: -2 }),
      broker: -2,
      orders: exitPair(18, conId, 1),
      expected: [{ kind: "missing-exits", missing: "both", quantity: -2 }],
    },
    {
      note: "exits covering a 2-lot",
      position: stored(18, conId, { quantity: -2 }),
      broker: -2,
      orders: exitPair(18, conId, 2),
      expected: [],
    },
    {
      note: "stored 1 short, broker 2 short",
      position: stored(18, conId),
      broker: -2,
      orders: exitPair(18, conId),
      expected: [{ kind: "quantity-mismatch", positionIds: [18], storedQuantity: -1, brokerQuantity: -2 }],
    },
    {
      note: "stored 2 short, broker 1 short: exits still checked against the stored 2",
      position: stored(18, conId, { quantity: -2 }),
      broker: -1,
      orders: exitPair(18, conId),
      expected: [
        { kind: "quantity-mismatch", storedQuantity: -2, brokerQuantity: -1 },
        { kind: "missing-exits", missing: "both" },
      ],
    },
    {
      note: "two exit sets on a 1-lot: the surplus would open a long",
      position: stored(18, conId),
      broker: -1,
      orders: [...exitPair(18, conId), ...exitPair(18, conId)],
      expected: [
        { kind: "excess-exits", exit: "tp", liveQuantity: 2, shortQuantity: 1 },
        { kind: "excess-exits", exit: "sl", liveQuantity: 2, shortQuantity: 1 },
      ],
    },
  ])("$note", ({ position, broker, orders, expected }) => {
    const findings = reconcile({
      storedPositions: [position],
      brokerPositions: [held(conId, broker)],
      openOrders: orders,
      account: ACCOUNT,
    });
    expect(findings).toMatchObject(expected);
    expect(findings).toHaveLength(expected.length);
  });

  it("shares one contract's exits between its positions by ref first", () => {
    // Positions 18 and 25 are both short the same contract; only 18's exits are live.
    const findings = reconcile({
      storedPositions: [stored(25, conId), stored(18, conId)],
      brokerPositions: [held(conId, -2)],
      openOrders: exitPair(18, conId),
      account: ACCOUNT,
    });
    expect(findings).toMatchObject([{ kind: "missing-exits", positionId: 25, missing: "both" }]);
    expect(findings).toHaveLength(1);
  });

  it("lets unreferenced exits serve the positions in id order", () => {
    const manual = [order(conId, "LMT", { ocaGroup: "m" }), order(conId, "STP", { ocaGroup: "m" })];
    const findings = reconcile({
      storedPositions: [stored(25, conId), stored(18, conId)],
      brokerPositions: [held(conId, -2)],
      openOrders: manual,
      account: ACCOUNT,
    });
    expect(findings).toMatchObject([{ kind: "missing-exits", positionId: 25, missing: "both" }]);
  });
});

describe("reconcile: orphans, unknown and vanished positions", () => {
  it.each([
    {
      note: "our exits left behind after the position closed",
      orders: exitPair(18, 1624),
      broker: [],
      expected: [
        { kind: "orphan-exit", conId: 1624, ours: true, order: { orderRef: "tw:tp:18", exit: "tp" } },
        { kind: "orphan-exit", conId: 1624, ours: true, order: { orderRef: "tw:sl:18", exit: "sl" } },
      ],
    },
    {
      note: "a manual BUY LMT on a contract we do not hold",
      orders: [order(1700, "LMT", { orderRef: "" })],
      broker: [],
      expected: [{ kind: "orphan-exit", conId: 1700, ours: false }],
    },
    {
      note: "a BUY STP on a contract held long",
      orders: [order(1700, "STP")],
      broker: [held(1700, 1)],
      expected: [
        { kind: "orphan-exit", conId: 1700 },
        { kind: "unknown-position", conId: 1700 },
      ],
    },
    {
      note: "a cancelled leftover is no orphan",
      orders: [order(1700, "LMT", { status: "Cancelled" })],
      broker: [],
      expected: [],
    },
    {
      note: "a BUY MKT is not an exit",
      orders: [order(1700, "MKT")],
      broker: [],
      expected: [],
    },
  ])("$note", ({ orders, broker, expected }) => {
    const findings = reconcile({
      storedPositions: [],
      brokerPositions: broker,
      openOrders: orders,
      account: ACCOUNT,
    });
    expect(findings).toMatchObject(expected);
    expect(findings).toHaveLength(expected.length);
  });

  it("offers to adopt a position the store does not know", () => {
    const manual = held(1640, -1);
    const findings = reconcile({
      storedPositions: [stored(18, 1624, { status: "closed" })],
      brokerPositions: [manual, held(1624, 0), held(1650, -1, "DU7654321")],
      openOrders: [],
      account: ACCOUNT,
    });
    expect(findings).toEqual([{ kind: "unknown-position", account: ACCOUNT, conId: 1640, position: manual }]);
  });

  it.each([
    {
      note: "a TP fill explains it",
      executions: [bought(1624)],
      today: "2026-02-05",
      explainedBy: "execution",
    },
    {
      note: "a fill on another contract does not",
      executions: [bought(1625)],
      today: "2026-02-05",
      explainedBy: null,
    },
    { note: "an expiry before today does", executions: [], today: "2026-05-01", explainedBy: "expiry" },
    { note: "expiry day itself does not", executions: [], today: "2026-04-30", explainedBy: null },
    { note: "nothing known", executions: undefined, today: undefined, explainedBy: null },
  ])("a vanished position: $note", ({ executions, today, explainedBy }) => {
    const findings = reconcile({
      storedPositions: [stored(18, 1624)],
      brokerPositions: [held(1624, 0)],
      openOrders: exitPair(18, 1624),
      account: ACCOUNT,
      ...(executions ? { executions } : {}),
      ...(today ? { today } : {}),
    });
    expect(findings[0]).toMatchObject({
      kind: "vanished-position",
      positionId: 18,
      quantity: -1,
      explainedBy,
    });
    expect(kinds(findings)).toEqual(["vanished-position", "orphan-exit", "orphan-exit"]);
  });

  it("reconciles every account when none is given", () => {
    const findings = reconcile({
      storedPositions: [stored(18, 1624), stored(30, 1624, { account: "DU7654321" })],
      brokerPositions: [held(1624, -1), held(1624, -1, "DU7654321")],
      openOrders: exitPair(18, 1624),
    });
    expect(findings).toMatchObject([{ kind: "missing-exits", positionId: 30, account: "DU7654321" }]);
    expect(findings).toHaveLength(1);
  });
});

describe("reconcile at size", () => {
  it("checks 1,000 positions against 2,000 orders", () => {
    const count = 1000;
    const storedPositions = Array.from({ length: count }, (_, i) => stored(i + 1, 100_000 + i));
    const brokerPositions = storedPositions.map((p) => held(p.con_id));
    // Every 10th position lost its SL; every 25th TP sits in the wrong OCA group. Keep 2,000 orders in all.
    const openOrders = storedPositions.flatMap((p) => {
      const [tp, sl] = exitPair(p.id, p.con_id) as [ReturnType<typeof order>, ReturnType<typeof order>];
      if (p.id % 10 === 0) return [tp, { ...sl, status: "Cancelled" }];
      if (p.id % 25 === 0) return [{ ...tp, ocaGroup: "elsewhere" }, sl];
      return [tp, sl];
    });
    expect(openOrders).toHaveLength(2000);

    const findings = reconcile({ storedPositions, brokerPositions, openOrders, account: ACCOUNT });

    const missing = findings.filter((f) => f.kind === "missing-exits");
    const notOca = findings.filter((f) => f.kind === "exits-not-oca");
    expect(missing).toHaveLength(100);
    expect(missing.every((f) => f.missing === "sl" && f.positionId % 10 === 0)).toBe(true);
    // Multiples of 50 lost their SL first, so they are reported as missing, not as not-OCA.
    expect(notOca).toHaveLength(20);
    expect(findings).toHaveLength(120);
  });
});
