import { describe, expect, it } from "vitest";
import {
  chooseExpiry,
  chooseStrike,
  type StrikeCandidate,
} from "../../src/trading/domain/contract-choice.js";

describe("chooseExpiry", () => {
  const today = "2026-02-04";

  it.each([
    {
      expirations: ["20260430"],
      expected: { expiry: "20260430", dte: 85 },
      note: "the journal's expiry is 85 DTE",
    },
    {
      expirations: ["20260320", "20260417", "20260424", "20260430", "20260501", "20260515", "20260619"],
      expected: { expiry: "20260430", dte: 85 },
      note: "closest to 85 among many",
    },
    {
      expirations: ["20260424", "20260506"],
      expected: { expiry: "20260506", dte: 91 },
      note: "79 vs 91: 91 is 6 away, 79 is 6 away -> the later wins the tie",
    },
    {
      expirations: ["20260421", "20260510"],
      expected: { expiry: "20260421", dte: 76 },
      note: "76 (9 off) beats 95",
    },
    { expirations: ["20260415"], expected: { expiry: "20260415", dte: 70 }, note: "min is inclusive" },
    { expirations: ["20260515"], expected: { expiry: "20260515", dte: 100 }, note: "max is inclusive" },
    {
      expirations: ["20260430", "20260430", "bogus", "20260230"],
      expected: { expiry: "20260430", dte: 85 },
      note: "duplicates and non-dates are ignored",
    },
  ])("$note", ({ expirations, expected }) => {
    expect(chooseExpiry(expirations, today)).toEqual({ ok: true, ...expected });
  });

  it.each([
    { expirations: [], available: [] },
    {
      expirations: ["20260516", "20260414", "20260206"],
      available: [
        { expiry: "20260206", dte: 2 },
        { expiry: "20260414", dte: 69 },
        { expiry: "20260516", dte: 101 },
      ],
    },
  ])(
    "reports what was available when nothing is in the window ($expirations)",
    ({ expirations, available }) => {
      expect(chooseExpiry(expirations, today)).toEqual({
        ok: false,
        reason: "none-in-window",
        window: { target: 85, min: 70, max: 100 },
        available,
      });
    },
  );

  it("takes a custom window", () => {
    expect(chooseExpiry(["20260220", "20260306"], today, 30, 14, 45)).toEqual({
      ok: true,
      expiry: "20260306",
      dte: 30,
    });
  });

  it("rejects a malformed today", () => {
    expect(() => chooseExpiry(["20260430"], "20260204")).toThrow("YYYY-MM-DD");
  });
});

describe("chooseStrike", () => {
  const put = (strike: number, delta: number | null | undefined, bid: number | null, ask: number | null) => ({
    strike,
    delta,
    bid,
    ask,
    conId: strike * 10,
  });

  it.each([
    {
      note: "closest |delta| to 0.15",
      chain: [put(600, -0.1, 4.1, 4.3), put(624, -0.149, 6.1, 6.2), put(630, -0.18, 7, 7.2)],
      strike: 624,
    },
    {
      note: "a tie goes to the lower strike (further out of the money)",
      chain: [put(626, -0.16, 6.4, 6.5), put(624, -0.14, 6.1, 6.2)],
      strike: 624,
    },
    {
      note: "quotes without a bid, with ask <= bid, or without delta are skipped",
      chain: [
        put(624, -0.15, 0, 6.2),
        put(625, -0.15, 6.2, 6.2),
        put(626, undefined, 6.3, 6.4),
        put(627, -0.15, 6.3, null),
        put(610, -0.12, 5, 5.1),
      ],
      strike: 610,
    },
    {
      note: "positive deltas (calls) compare by magnitude too",
      chain: [put(700, 0.2, 1, 1.1), put(710, 0.16, 0.8, 0.9)],
      strike: 710,
    },
  ])("$note", ({ chain, strike }) => {
    const choice = chooseStrike(chain, 0.15);
    expect(choice.ok && choice.candidate.strike).toBe(strike);
    expect(choice.ok && choice.candidate.conId).toBe(strike * 10);
  });

  it("reports the distance it picked at", () => {
    expect(chooseStrike([put(624, -0.149, 6.1, 6.2)], 0.15)).toMatchObject({
      ok: true,
      absDelta: 0.149,
      deltaDistance: expect.closeTo(0.001, 9),
    });
  });

  it("breaks ties toward the higher strike for calls", () => {
    const chain = [put(700, 0.16, 1, 1.1), put(710, 0.14, 0.8, 0.9)];
    const choice = chooseStrike(chain, 0.15, { right: "C" });
    expect(choice.ok && choice.candidate.strike).toBe(710);
  });

  it("says why nothing qualified", () => {
    expect(chooseStrike([], 0.15)).toEqual({ ok: false, reason: "empty-chain" });
    const unusable: StrikeCandidate[] = [
      put(600, null, 1, 1.1),
      put(601, -3.4e38, 1, 1.1),
      put(602, -0.15, -1, 1.1),
      put(603, -0.15, 1, -1),
      put(604, -0.15, 1.2, 1.1),
      put(605, Number.NaN, 1, 1.1),
    ];
    expect(chooseStrike(unusable, 0.15)).toEqual({
      ok: false,
      reason: "no-usable-quotes",
      rejected: [
        { strike: 600, why: "no-delta" },
        { strike: 601, why: "no-delta" },
        { strike: 602, why: "no-bid" },
        { strike: 603, why: "no-ask" },
        { strike: 604, why: "crossed-or-locked" },
        { strike: 605, why: "no-delta" },
      ],
    });
  });

  it("refuses a pick too far from the target when asked to", () => {
    const chain = [put(650, -0.45, 15, 15.3)];
    expect(chooseStrike(chain, 0.15, { maxDeltaDistance: 0.05 })).toMatchObject({
      ok: false,
      reason: "none-near-target",
      closest: { strike: 650 },
      absDelta: 0.45,
    });
    expect(chooseStrike(chain, 0.15).ok).toBe(true);
  });
});
