import { describe, expect, it } from "vitest";
import { bookFill } from "../../src/sim/accounting.js";
import { isTradingDay, sessionHours } from "../../src/sim/calendar.js";
import {
  decodeOptionConId,
  expirationNear,
  listedExpirations,
  optionConId,
  spyOption,
} from "../../src/sim/chain.js";
import { easternInstant } from "../../src/sim/eastern.js";
import { encodeFields, encodeHandshake, FrameReader, parseVersionRange } from "../../src/sim/framing.js";
import { blackScholes } from "../../src/sim/pricing.js";

describe("framing", () => {
  it("reads the handshake by length (its length bytes hold NULs), then NUL-terminated frames, across chunks", () => {
    const reader = new FrameReader();
    const bytes = Buffer.concat([
      encodeHandshake("v100..193"),
      encodeFields([71, 2, 7, ""]),
      encodeFields([49, 1]),
    ]);
    const frames = [...bytes].flatMap((b) => reader.push(Buffer.from([b])));
    expect(frames).toEqual([
      { kind: "handshake", versions: "v100..193" },
      { kind: "message", fields: ["71", "2", "7", ""] },
      { kind: "message", fields: ["49", "1"] },
    ]);
  });

  it("encodes with a trailing NUL and a big-endian length of the body", () => {
    const frame = encodeFields([4, 2, -1, 2104, "OK", undefined, true]);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    expect(frame.subarray(4).toString()).toBe("4\u00002\u0000-1\u00002104\u0000OK\u0000\u00001\u0000");
  });

  it("parses version ranges", () => {
    expect(parseVersionRange("v100..193")).toEqual({ min: 100, max: 193 });
    expect(parseVersionRange("v176")).toEqual({ min: 176, max: 176 });
    expect(parseVersionRange("v100..193 +PACEAPI")).toEqual({ min: 100, max: 193 });
    expect(parseVersionRange("hello")).toBeUndefined();
  });
});

describe("calendar and chain", () => {
  it("knows NYSE holidays and weekends", () => {
    expect(isTradingDay("20261126")).toBe(false);
    expect(isTradingDay("20260403")).toBe(false);
    expect(isTradingDay("20270705")).toBe(false);
    expect(isTradingDay("20261128")).toBe(false);
    expect(isTradingDay("20261127")).toBe(true);
  });

  it("writes IB session strings for the coming 30 days", () => {
    const { liquidHours, tradingHours, timeZoneId } = sessionHours(new Date("2026-12-22T15:00:00Z"), "OPT");
    expect(timeZoneId).toBe("US/Eastern");
    const days = liquidHours.split(";");
    expect(days).toHaveLength(30);
    expect(days.slice(0, 5)).toEqual([
      "20261222:0930-20261222:1600",
      "20261223:0930-20261223:1600",
      "20261224:0930-20261224:1300",
      "20261225:CLOSED",
      "20261226:CLOSED",
    ]);
    expect(tradingHours).toContain("20261224:0930-20261224:1315");
    expect(liquidHours).toContain("20270101:CLOSED");
  });

  it("turns an option's conId back into the option", () => {
    const conId = optionConId("20260430", 624, "P");
    expect(decodeOptionConId(conId)).toEqual(spyOption("20260430", 624, "P"));
    expect(decodeOptionConId(optionConId("20270115", 700, "C"))?.right).toBe("C");
    expect(decodeOptionConId(12345)).toBeUndefined();
    expect(spyOption("20260430", 624, "P").localSymbol).toBe("SPY   260430P00624000");
  });

  it("lists Fridays and month-ends, moving a holiday Friday to Thursday", () => {
    const listed = listedExpirations(new Date("2026-03-30T14:00:00Z"), 40);
    expect(listed).toEqual([
      "20260331",
      "20260402",
      "20260410",
      "20260417",
      "20260424",
      "20260430",
      "20260501",
      "20260508",
    ]);
    expect(expirationNear(new Date("2026-02-04T14:42:00Z"), 85)).toBe("20260430");
  });

  it("puts 16:00 ET at 21:00 UTC in winter and 20:00 UTC in summer", () => {
    expect(easternInstant("20261127", 16).toISOString()).toBe("2026-11-27T21:00:00.000Z");
    expect(easternInstant("20260430", 16).toISOString()).toBe("2026-04-30T20:00:00.000Z");
  });
});

describe("pricing and booking", () => {
  it("satisfies put-call parity and has a put delta between -1 and 0", () => {
    const base = { spot: 680, strike: 624, years: 70 / 365, vol: 0.2, rate: 0.04 };
    const put = blackScholes({ ...base, right: "P" });
    const call = blackScholes({ ...base, right: "C" });
    expect(call.price - put.price).toBeCloseTo(680 - 624 * Math.exp(-0.04 * (70 / 365)), 4);
    expect(put.delta).toBeLessThan(0);
    expect(put.delta).toBeGreaterThan(-1);
    expect(call.delta - put.delta).toBeCloseTo(1, 6);
    expect(blackScholes({ ...base, years: 0, spot: 600, right: "P" }).price).toBe(24);
  });

  it("books a short open (avgCost net of its commission) and a buy-to-close whose P&L is net of both commissions", () => {
    const position = { account: "A", contract: spyOption("20260430", 624, "P"), pos: 0, avgCost: 0 };
    expect(bookFill(position, -1, 6.16, 0.69)).toBeUndefined();
    expect(position.pos).toBe(-1);
    expect(position.avgCost).toBeCloseTo(616 - 0.69, 9);
    expect(bookFill(position, 1, 2.46, 0.69)).toBeCloseTo(616 - 246 - 0.69 - 0.69, 6);
    expect(position).toMatchObject({ pos: 0, avgCost: 0 });
  });

  it("adds a long's commission to its avgCost and splits a flip's commission between close and open", () => {
    const position = { account: "A", contract: spyOption("20260430", 624, "P"), pos: 0, avgCost: 0 };
    bookFill(position, 2, 3, 1.38);
    expect(position.avgCost).toBeCloseTo(300 + 0.69, 9);
    expect(bookFill(position, -4, 4, 2.76)).toBeCloseTo(2 * (400 - 300.69) - 1.38, 6);
    expect(position.pos).toBe(-2);
    expect(position.avgCost).toBeCloseTo(400 - 0.69, 9);
  });
});
