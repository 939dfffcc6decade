import type { Alert } from "../alerts.js";

/**
 * Turns connection trouble into few, meaningful alerts. An incident opens at the first
 * problem and gets one alert per distinct kind of cause (a drop, then refused reconnects, is one
 * "gateway down"); it closes with one recovery alert once
 * the connection has stayed healthy for `settleMs`. Ten drops in a minute are therefore
 * one "disconnected" post and one "reconnected after 10 drops" post.
 */
export interface Problem {
  /** Distinct causes alert separately within one incident (e.g. "drop", "client-id-in-use"). */
  cause: string;
  /** True when the socket is gone (as opposed to degraded service on a live socket). */
  disconnected: boolean;
  alert: Alert;
}

/**
 * Causes that mean the same thing to the trader (the gateway is not there) and call for the same
 * action: within one incident only the first of them is posted, so one outage is one ping.
 */
const GATEWAY_DOWN = new Set(["drop", "unreachable", "hung"]);

function family(cause: string): string {
  return GATEWAY_DOWN.has(cause) ? "gateway-down" : cause;
}

interface Incident {
  startedAt: number;
  drops: number;
  disconnectedAtAll: boolean;
  /** Every cause seen, for the recovery post. */
  causes: Set<string>;
  /** The cause families already posted. */
  alerted: Set<string>;
  healthySince?: number;
  downMs: number;
  lastDownAt?: number;
}

export class IncidentTracker {
  private incident: Incident | undefined;

  constructor(private readonly settleMs: number) {}

  get open(): boolean {
    return this.incident !== undefined;
  }

  /** When the open incident began (its first problem), for "down for ..." that does not restart at each retry. */
  get startedAt(): number | undefined {
    return this.incident?.startedAt;
  }

  problem(p: Problem, now: number): Alert[] {
    let inc = this.incident;
    if (!inc) {
      inc = {
        startedAt: now,
        drops: 0,
        disconnectedAtAll: false,
        causes: new Set(),
        alerted: new Set(),
        downMs: 0,
      };
      this.incident = inc;
    }
    if (inc.healthySince !== undefined) {
      inc.healthySince = undefined;
      inc.lastDownAt = now;
    } else if (inc.lastDownAt === undefined) {
      inc.lastDownAt = now;
    }
    if (p.disconnected && p.cause === "drop") inc.drops++;
    if (p.disconnected) inc.disconnectedAtAll = true;
    inc.causes.add(p.cause);
    if (inc.alerted.has(family(p.cause))) return [];
    inc.alerted.add(family(p.cause));
    return [p.alert];
  }

  healthy(now: number): void {
    const inc = this.incident;
    if (!inc || inc.healthySince !== undefined) return;
    inc.healthySince = now;
    if (inc.lastDownAt !== undefined) inc.downMs += now - inc.lastDownAt;
    inc.lastDownAt = undefined;
  }

  /** Called periodically; returns the recovery alert once the connection has settled. */
  tick(now: number): Alert[] {
    const inc = this.incident;
    if (!inc || inc.healthySince === undefined || now - inc.healthySince < this.settleMs) return [];
    this.incident = undefined;
    const causes = [...inc.causes];
    if (inc.disconnectedAtAll) {
      return [{ type: "reconnected", downtimeMs: inc.downMs, drops: Math.max(1, inc.drops), causes }];
    }
    return [{ type: "restored", downtimeMs: inc.downMs, causes }];
  }
}
