import { describe, expect, it } from "vitest";
import type { EntryRunRow } from "../../src/store/index.js";
import { catchUpDecision, type DayFacts, tickAction } from "../../src/trading/schedule/entry-rules.js";

const OPEN = {
  day: "2026-02-04",
  status: "open" as const,
  openAt: "2026-02-04T14:30:00.000Z",
  closeAt: "2026-02-04T21:00:00.000Z",
};
const RUNNING = { paused: false, by: null, since: null };
const CONNECTED = { state: "connected" as const, reason: "API handshake complete" };

function facts(change: Partial<DayFacts> = {}): DayFacts {
  return {
    tradingDay: "2026-02-04",
    calendar: OPEN,
    paused: RUNNING,
    connection: CONNECTED,
    now: new Date("2026-02-04T14:35:00Z"),
    entryTime: "09:35",
    windowEnd: "15:30",
    timeZone: "America/New_York",
    ...change,
  };
}

function run(status: EntryRunRow["status"]): EntryRunRow {
  const at = "2026-02-04T14:35:00.000Z";
  return {
    id: 1,
    strategy: "spy-put",
    trading_day: "2026-02-04",
    status,
    reason: null,
    order_ref: null,
    created_at: at,
    updated_at: at,
  };
}

describe("tickAction", () => {
  const windowEnd = new Date("2026-02-04T20:30:00Z");
  it.each([
    ["an open, connected day", facts(), { action: "place", windowEnd }],
    [
      "a holiday",
      facts({ calendar: { day: "2026-02-04", status: "closed" } }),
      { action: "skip", alert: false },
    ],
    [
      "a Saturday the calendar does not know",
      facts({ tradingDay: "2026-02-07", calendar: undefined }),
      { action: "skip", alert: false },
    ],
    [
      "a pause",
      facts({ paused: { paused: true, by: "console", since: "x" } }),
      { action: "skip", alert: true },
    ],
    [
      "an unknown calendar",
      facts({ calendar: undefined }),
      {
        action: "miss",
        reason: "trading calendar unknown (never fetched from the broker)",
        catchUpUntil: windowEnd,
      },
    ],
    [
      "a degraded gateway",
      facts({ connection: { state: "degraded", reason: "IB servers unreachable" } }),
      { action: "miss", reason: "gateway degraded: IB servers unreachable", catchUpUntil: windowEnd },
    ],
    [
      "an early close before the entry",
      facts({ calendar: { ...OPEN, closeAt: "2026-02-04T14:00:00.000Z" } }),
      { action: "miss", catchUpUntil: null },
    ],
  ])("%s", (_name, input, expected) => {
    expect(tickAction(input, false)).toMatchObject(expected);
  });

  it("asks when entries need approval", () => {
    expect(tickAction(facts(), true)).toMatchObject({ action: "ask" });
  });
});

describe("catchUpDecision", () => {
  const at0935 = new Date("2026-02-04T14:35:00Z");
  const at1010 = new Date("2026-02-04T15:10:00Z");
  it.each([
    ["a missed run inside the window", facts({ now: at1010 }), run("missed"), true],
    ["a failed run", facts({ now: at1010 }), run("failed"), false],
    ["a run already offered", facts({ now: at1010 }), run("awaiting-approval"), false],
    ["a missed run after the window", facts({ now: new Date("2026-02-04T20:30:00Z") }), run("missed"), false],
    [
      "a missed run after an early close",
      facts({
        now: new Date("2026-02-04T18:05:00Z"),
        calendar: { ...OPEN, closeAt: "2026-02-04T18:00:00.000Z" },
      }),
      run("missed"),
      false,
    ],
    [
      "a missed run while paused",
      facts({ now: at1010, paused: { paused: true, by: "console", since: "x" } }),
      run("missed"),
      false,
    ],
    ["an unclaimed day past its time", facts({ now: at1010 }), undefined, true],
    ["an unclaimed day just at its time", facts({ now: at0935 }), undefined, false],
  ])("%s", (_name, input, current, offer) => {
    expect(catchUpDecision(input, current, at0935).offer).toBe(offer);
  });
});
