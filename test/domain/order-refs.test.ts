import { describe, expect, it } from "vitest";
import {
  entryRef,
  exitOrderRefs,
  exitRef,
  isOurRef,
  nextExitAttempt,
  OrderRefError,
  ocaGroupFor,
  parseOcaGroup,
  parseOrderRef,
  strategyName,
} from "../../src/trading/domain/order-refs.js";

describe("building refs", () => {
  it.each([
    { ref: entryRef("spy-put", "2026-02-04", "SPY", "P"), expected: "tw:entry:2026-02-04:SPY-P" },
    { ref: entryRef("wheel", "2026-02-04", "SPY", "P"), expected: "tw:entry:2026-02-04:SPY-P:wheel" },
    { ref: entryRef("qqq-call", "2026-02-05", "QQQ", "C"), expected: "tw:entry:2026-02-05:QQQ-C" },
    { ref: entryRef("spy-put", "2026-02-04", "SPY", "P", 2), expected: "tw:entry:2026-02-04:SPY-P/2" },
    { ref: entryRef("wheel", "2026-02-04", "SPY", "P", 3), expected: "tw:entry:2026-02-04:SPY-P:wheel/3" },
    { ref: exitRef("tp", 18), expected: "tw:tp:18" },
    { ref: exitRef("sl", 18), expected: "tw:sl:18" },
    { ref: exitRef("tp", 18, 2), expected: "tw:tp:18:2" },
    { ref: exitRef("sl", "seed-18"), expected: "tw:sl:seed-18" },
    { ref: ocaGroupFor(18, 1), expected: "tw:oca:18:1" },
    { ref: ocaGroupFor(18, 3), expected: "tw:oca:18:3" },
  ])("$expected", ({ ref, expected }) => {
    expect(ref).toBe(expected);
  });

  it("names all three for an attach attempt", () => {
    expect(exitOrderRefs(10, 1)).toEqual({ tp: "tw:tp:10", sl: "tw:sl:10", ocaGroup: "tw:oca:10:1" });
    expect(exitOrderRefs(10, 2)).toEqual({ tp: "tw:tp:10:2", sl: "tw:sl:10:2", ocaGroup: "tw:oca:10:2" });
  });

  it("names the default strategy after symbol and right", () => {
    expect(strategyName("SPY", "P")).toBe("spy-put");
    expect(strategyName("QQQ", "C")).toBe("qqq-call");
  });

  it.each([
    { build: () => entryRef("spy-put", "20260204", "SPY", "P"), says: "YYYY-MM-DD" },
    { build: () => entryRef("spy:put", "2026-02-04", "SPY", "P"), says: "Strategy" },
    { build: () => entryRef("spy/put", "2026-02-04", "SPY", "P"), says: "Strategy" },
    { build: () => entryRef("spy-put", "2026-02-04", "SPY", "P", 0), says: "Attempt" },
    { build: () => entryRef("spy-put", "2026-02-04", "", "P"), says: "Symbol" },
    { build: () => exitRef("tp", 0), says: "positive integer" },
    { build: () => exitRef("tp", 1.5), says: "positive integer" },
    { build: () => exitRef("tp", "a:b"), says: "Position id" },
    { build: () => exitRef("tp", 18, 0), says: "Attempt" },
    { build: () => ocaGroupFor(18, 0), says: "Attempt" },
  ])("rejects bad parts: $says", ({ build, says }) => {
    expect(build).toThrow(OrderRefError);
    expect(build).toThrow(says);
  });
});

describe("parseOrderRef", () => {
  it.each([
    {
      ref: "tw:entry:2026-02-04:SPY-P",
      parsed: {
        kind: "entry",
        day: "2026-02-04",
        symbol: "SPY",
        right: "P",
        strategy: "spy-put",
        attempt: 1,
      },
    },
    {
      ref: "tw:entry:2026-02-04:SPY-P:wheel",
      parsed: { kind: "entry", day: "2026-02-04", symbol: "SPY", right: "P", strategy: "wheel", attempt: 1 },
    },
    {
      ref: "tw:entry:2026-02-04:SPY-P/2",
      parsed: {
        kind: "entry",
        day: "2026-02-04",
        symbol: "SPY",
        right: "P",
        strategy: "spy-put",
        attempt: 2,
      },
    },
    {
      ref: "tw:entry:2026-02-04:SPY-P:wheel/3",
      parsed: { kind: "entry", day: "2026-02-04", symbol: "SPY", right: "P", strategy: "wheel", attempt: 3 },
    },
    { ref: "tw:tp:18", parsed: { kind: "tp", positionId: 18, attempt: 1 } },
    { ref: "tw:sl:18", parsed: { kind: "sl", positionId: 18, attempt: 1 } },
    { ref: "tw:sl:18:2", parsed: { kind: "sl", positionId: 18, attempt: 2 } },
    { ref: "tw:tp:seed-18", parsed: { kind: "tp", positionId: "seed-18", attempt: 1 } },
    { ref: "tw:oca:18:1", parsed: { kind: "foreign", ref: "tw:oca:18:1", ours: true } },
    { ref: "tw:close:18", parsed: { kind: "foreign", ref: "tw:close:18", ours: true } },
    { ref: "", parsed: { kind: "foreign", ref: "", ours: false } },
    { ref: "manual TP", parsed: { kind: "foreign", ref: "manual TP", ours: false } },
    { ref: "tw:tp:", parsed: { kind: "foreign", ref: "tw:tp:", ours: true } },
  ])("$ref", ({ ref, parsed }) => {
    expect(parseOrderRef(ref)).toEqual(parsed);
  });

  it("round-trips what it builds", () => {
    for (const id of [1, 18, 999_999, "seed-18"]) {
      for (const attempt of [1, 2, 17]) {
        expect(parseOrderRef(exitRef("tp", id, attempt))).toEqual({ kind: "tp", positionId: id, attempt });
      }
    }
  });
});

describe("OCA attempts", () => {
  it.each([
    { group: "tw:oca:18:1", parsed: { positionId: 18, attempt: 1 } },
    { group: "tw:oca:18", parsed: { positionId: 18, attempt: 0 } },
    { group: "tw:oca:seed-18", parsed: { positionId: "seed-18", attempt: 0 } },
    { group: "someone-else", parsed: undefined },
  ])("parses $group", ({ group, parsed }) => {
    expect(parseOcaGroup(group)).toEqual(parsed);
  });

  it.each([
    { used: [], next: 1 },
    { used: ["tw:tp:18", "tw:sl:18", "tw:oca:18:1"], next: 2 },
    { used: ["tw:tp:18", "tw:sl:18", "tw:oca:18"], next: 2 },
    { used: ["tw:tp:18:2", "tw:oca:18:3", null, undefined], next: 4 },
    { used: ["tw:tp:19:5", "tw:oca:180:7", "tw:entry:2026-02-04:SPY-P"], next: 1 },
  ])("next attempt after $used is $next", ({ used, next }) => {
    expect(nextExitAttempt(18, used)).toBe(next);
  });
});

it.each([
  { ref: "tw:tp:18", ours: true },
  { ref: "TW:tp:18", ours: false },
  { ref: "", ours: false },
  { ref: null, ours: false },
])("isOurRef($ref) is $ours", ({ ref, ours }) => {
  expect(isOurRef(ref)).toBe(ours);
});
