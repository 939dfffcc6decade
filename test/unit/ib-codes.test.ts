import { describe, expect, it } from "vitest";
import { classifyIbCode, classifyMarketDataCode } from "../../src/trading/ib/ib-codes.js";

describe("classifyIbCode", () => {
  it.each([
    [1100, "Connectivity between IB and Trader Workstation has been lost.", { kind: "connectivity-lost" }],
    [2110, "Connectivity between Trader Workstation and server is broken.", { kind: "connectivity-lost" }],
    [1101, "restored - data lost", { kind: "connectivity-restored", dataLost: true }],
    [1102, "restored - data maintained", { kind: "connectivity-restored", dataLost: false }],
    [326, "Unable to connect as the client id is already in use.", { kind: "client-id-in-use" }],
    [10197, "No market data during competing live session", { kind: "competing-session" }],
    [162, "Trading TWS session is connected from a different IP address", { kind: "competing-session" }],
    [162, "HMDS query returned no data", { kind: "other" }],
    [502, "connect ECONNREFUSED", { kind: "not-connected" }],
    [504, "Not connected", { kind: "not-connected" }],
    [201, "Order rejected", { kind: "order-rejected" }],
    [
      2103,
      "Market data farm connection is broken:usfarm",
      { kind: "farm-broken", farm: "market data", name: "usfarm" },
    ],
    [
      2104,
      "Market data farm connection is OK:usfarm",
      { kind: "farm-ok", farm: "market data", name: "usfarm" },
    ],
    [
      2105,
      "HMDS data farm connection is broken:ushmds",
      { kind: "farm-broken", farm: "historical data", name: "ushmds" },
    ],
    [
      2106,
      "HMDS data farm connection is OK:ushmds",
      { kind: "farm-ok", farm: "historical data", name: "ushmds" },
    ],
    [
      2157,
      "Sec-def data farm connection is broken:secdefil",
      { kind: "farm-broken", farm: "security definition", name: "secdefil" },
    ],
    [
      2158,
      "Sec-def data farm connection is OK:secdefil",
      { kind: "farm-ok", farm: "security definition", name: "secdefil" },
    ],
    [399, "Order will not be placed at the exchange until 2026-02-05 09:30:00 US/Eastern", { kind: "other" }],
  ])("%i %s", (code, message, expected) => {
    expect(classifyIbCode(code, message)).toEqual(expected);
  });
});

describe("classifyMarketDataCode: by meaning, not by id", () => {
  it.each([
    [10090, "advisory"],
    [10091, "advisory"],
    [10167, "advisory"],
    [2100, "advisory"],
    [2104, "advisory"],
    [2105, "advisory"],
    [2119, "advisory"],
    [2199, "advisory"],
    [354, "fatal"],
    [10089, "fatal"],
    [10168, "fatal"],
    [10197, "fatal"],
    [200, "other"],
    [2200, "other"],
  ])("%i is %s", (code, kind) => {
    expect(classifyMarketDataCode(code).kind).toBe(kind);
  });

  it.each([
    [354, /subscribe to OPRA.*MARKET_DATA_TYPE=delayed/],
    [10089, /additional subscription.*Market Data Subscriptions/],
    [10168, /delayed data is not enabled/],
    [10197, /TWS is logged in elsewhere/],
  ])("%i names the fix", (code, fix) => {
    const meaning = classifyMarketDataCode(code);
    expect(meaning.kind === "fatal" && meaning.fix).toMatch(fix);
  });
});
