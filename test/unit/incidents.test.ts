import { describe, expect, it } from "vitest";
import type { Alert } from "../../src/trading/alerts.js";
import { IncidentTracker, type Problem } from "../../src/trading/ib/incidents.js";

const drop: Problem = {
  cause: "drop",
  disconnected: true,
  alert: { type: "disconnected", reason: "the gateway closed the connection" },
};
const lost: Problem = {
  cause: "connectivity-lost",
  disconnected: false,
  alert: { type: "degraded", reason: "1100" },
};
const clientId: Problem = {
  cause: "client-id-in-use",
  disconnected: true,
  alert: { type: "client-id-in-use", clientId: 7, advice: "x" },
};

describe("IncidentTracker", () => {
  it("alerts the first problem at once and the recovery only after the connection settles", () => {
    const t = new IncidentTracker(10_000);
    expect(t.problem(drop, 0)).toEqual([drop.alert]);
    t.healthy(2_000);
    expect(t.tick(11_999)).toEqual([]);
    expect(t.tick(12_000)).toEqual([
      { type: "reconnected", downtimeMs: 2_000, drops: 1, causes: ["drop"] } satisfies Alert,
    ]);
    expect(t.open).toBe(false);
  });

  it("coalesces ten drops in a minute into one alert and one recovery with the count", () => {
    const t = new IncidentTracker(10_000);
    const posted: Alert[] = [];
    for (let i = 0; i < 10; i++) {
      posted.push(...t.problem(drop, i * 6_000));
      t.healthy(i * 6_000 + 1_000);
      posted.push(...t.tick(i * 6_000 + 5_000));
    }
    posted.push(...t.tick(54_000 + 1_000 + 10_000));
    expect(posted.map((a) => a.type)).toEqual(["disconnected", "reconnected"]);
    expect(posted[1]).toMatchObject({ drops: 10, downtimeMs: 10_000 });
  });

  it("alerts a new cause within the same incident, but not a repeated one", () => {
    const t = new IncidentTracker(10_000);
    expect(t.problem(drop, 0)).toHaveLength(1);
    expect(t.problem(clientId, 1_000)).toEqual([clientId.alert]);
    expect(t.problem(clientId, 5_000)).toEqual([]);
    t.healthy(9_000);
    expect(t.tick(19_000)[0]).toMatchObject({ type: "reconnected", causes: ["drop", "client-id-in-use"] });
  });

  it("reports a degraded-only incident as restored, not reconnected", () => {
    const t = new IncidentTracker(5_000);
    expect(t.problem(lost, 0)).toEqual([lost.alert]);
    t.healthy(3_000);
    expect(t.tick(8_000)).toEqual([{ type: "restored", downtimeMs: 3_000, causes: ["connectivity-lost"] }]);
  });

  it("stays quiet while healthy and never recovers what was not broken", () => {
    const t = new IncidentTracker(5_000);
    t.healthy(0);
    expect(t.tick(100_000)).toEqual([]);
  });
});

describe("one outage, one ping", () => {
  const refused: Problem = {
    cause: "unreachable",
    disconnected: true,
    alert: { type: "disconnected", reason: "connect ECONNREFUSED 127.0.0.1:4004" },
  };
  const hung: Problem = {
    cause: "hung",
    disconnected: true,
    alert: { type: "disconnected", reason: "no heartbeat reply" },
  };

  it("a drop followed by refused reconnects and a hang is one disconnected post; the recovery lists every cause", () => {
    const t = new IncidentTracker(10_000);
    const posted = [
      ...t.problem(drop, 0),
      ...t.problem(refused, 1_000),
      ...t.problem(refused, 3_000),
      ...t.problem(hung, 9_000),
    ];
    expect(posted).toEqual([drop.alert]);
    expect(t.startedAt).toBe(0);
    t.healthy(53_000);
    expect(t.tick(63_000)).toEqual([
      {
        type: "reconnected",
        downtimeMs: 53_000,
        drops: 1,
        causes: ["drop", "unreachable", "hung"],
      } satisfies Alert,
    ]);
    expect(t.startedAt).toBeUndefined();
  });

  it("a cause that asks for something else (client id in use) is still posted", () => {
    const t = new IncidentTracker(10_000);
    expect(t.problem(refused, 0)).toEqual([refused.alert]);
    expect(t.problem(clientId, 1_000)).toEqual([clientId.alert]);
  });
});
