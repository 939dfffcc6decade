import { describe, expect, it } from "vitest";
import { duration } from "../../src/bot/format.js";
import { etClock, etDayTime, etWhen } from "../../src/bot/times.js";
import { approvalLine, tradesText } from "../../src/bot/views.js";

describe("every time a trader reads is New York time with its zone", () => {
  it("clock, day and 'when' in ET across daylight saving", () => {
    expect(etClock("2026-12-02T14:35:00.000Z")).toBe("09:35 ET");
    expect(etClock("2026-07-01T13:35:00.000Z")).toBe("09:35 ET");
    expect(etDayTime("2026-12-02T14:35:00.000Z")).toBe("Wed 2 Dec 09:35 ET");
    expect(etWhen("2026-12-02T14:35:00.000Z", new Date("2026-12-02T20:00:00Z"))).toBe("09:35 ET");
    expect(etWhen("2026-12-01T21:52:43.099Z", new Date("2026-12-02T15:00:00Z"))).toBe("Tue 1 Dec 16:52 ET");
  });

  it("durations as 1h 05m, 12m 03s", () => {
    expect(duration(53_000)).toBe("53s");
    expect(duration(723_000)).toBe("12m 03s");
    expect(duration(3_900_000)).toBe("1h 05m");
  });

  it("/approvals and /trades say ET, and a trade names its contract", () => {
    const line = approvalLine({
      id: "a1",
      kind: "reattach",
      summary: "Re-attach TP and SL: 18 SPY 624P 2026-04-30",
      expiresAt: "2026-12-02T03:07:00.000Z",
      requestedBy: "reconciler",
    } as Parameters<typeof approvalLine>[0]);
    expect(line).toContain("(expires 22:07 ET)");
    const trades = tradesText(
      [
        {
          positionId: 18,
          contract: "SPY 624P 2026-04-30",
          closedAt: "2026-12-02T15:10:00.000Z",
          reason: "sl",
          quantity: -1,
          entryPrice: 6.16,
          exitPrice: 18.54,
          pnl: -1239.38,
        },
      ],
      7,
    );
    expect(trades).toMatch(/^Wed 2 Dec 10:10 ET #18 SPY 624P 2026-04-30 SL/);
    for (const text of [line, trades]) expect(text).not.toMatch(/UTC|\dZ\b|T\d\d:/);
  });
});
