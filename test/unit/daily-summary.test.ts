import { describe, expect, it } from "vitest";
import { downtimeMs } from "../../src/trading/lifecycle/daily-summary.js";

const at = (hhmm: string) => `2026-02-04T${hhmm}:00.000Z`;
const from = new Date(at("05:00"));
const to = new Date(at("21:00"));

describe("downtimeMs", () => {
  it.each([
    ["connected all day", [], true, 0],
    ["down all day", [], false, 16 * 3_600_000],
    [
      "one 35-minute outage",
      [
        { at: at("14:00"), action: "connection.disconnected" },
        { at: at("14:20"), action: "connection.connecting" },
        { at: at("14:35"), action: "connection.connected" },
      ],
      true,
      35 * 60_000,
    ],
    [
      "degraded counts as down, still down at the end",
      [
        { at: at("20:00"), action: "connection.degraded" },
        { at: at("20:30"), action: "connection.connected" },
        { at: at("20:50"), action: "connection.disconnected" },
      ],
      true,
      40 * 60_000,
    ],
    [
      "down since before the day, back at 06:00",
      [{ at: at("06:00"), action: "connection.connected" }],
      false,
      3_600_000,
    ],
  ] as const)("%s", (_name, transitions, connectedAtStart, expected) => {
    expect(downtimeMs([...transitions], from, to, connectedAtStart)).toBe(expected);
  });
});
