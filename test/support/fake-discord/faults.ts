import type { RestResult } from "./types.js";

interface Fault {
  match: (method: string, path: string) => boolean;
  remaining: number;
  answer: RestResult;
}

const CHANNEL_POST = /^\/channels\/\d+\/messages$/;

/**
 * Injected REST failures: counted 429s and 5xxs by path, an outage of channel posts, Discord
 * down as a whole, and answers lost after the request was carried out (the message is stored,
 * the bot never hears so: a reset, a 5xx from a proxy, discord.js's own 15 s timeout).
 */
export class FaultPlan {
  private faults: Fault[] = [];
  private outage: "503" | "reset" | null = null;
  private lost: Array<{ match: (method: string, path: string) => boolean; remaining: number }> = [];
  private lossRate = 0;
  private random: () => number = Math.random;
  /** Every REST request is dropped unanswered and the gateway refuses connections. */
  down = false;

  /** The next `count` matching requests are carried out and then their answer is dropped. */
  addLostAnswers(pattern: string | RegExp, count: number): void {
    this.lost.push({ match: matcher(pattern), remaining: count });
  }

  /** From now on each channel post's answer is dropped with this probability (after storing it). */
  setLossRate(rate: number, random: () => number = Math.random): void {
    this.lossRate = rate;
    this.random = random;
  }

  /** Whether to drop the answer of this (already served) request. */
  loseAnswer(method: string, path: string): boolean {
    const fault = this.lost.find((f) => f.remaining > 0 && f.match(method, path));
    if (fault) {
      fault.remaining--;
      return true;
    }
    return this.lossRate > 0 && method === "POST" && CHANNEL_POST.test(path) && this.random() < this.lossRate;
  }

  add429(pattern: string | RegExp, retryAfterS: number, count: number): void {
    this.faults.push({
      match: matcher(pattern),
      remaining: count,
      answer: {
        status: 429,
        headers: { "retry-after": String(retryAfterS), "x-ratelimit-scope": "user" },
        body: { message: "You are being rate limited.", retry_after: retryAfterS, global: false },
      },
    });
  }

  add5xx(pattern: string | RegExp, count: number, status: number): void {
    this.faults.push({
      match: matcher(pattern),
      remaining: count,
      answer: { status, body: { message: `${status}: Bad Gateway`, code: 0 } },
    });
  }

  setOutage(how: "503" | "reset" | null): void {
    this.outage = how;
  }

  /** The failure for this request, "reset" to drop the connection, or undefined to serve it. */
  take(method: string, path: string): RestResult | "reset" | undefined {
    if (this.outage && method === "POST" && CHANNEL_POST.test(path)) {
      return this.outage === "reset"
        ? "reset"
        : { status: 503, body: { message: "503: Service Unavailable", code: 0 } };
    }
    const fault = this.faults.find((f) => f.remaining > 0 && f.match(method, path));
    if (!fault) return undefined;
    fault.remaining--;
    return fault.answer;
  }
}

/** A string is an exact path or "METHOD path"; a RegExp is tested on "METHOD path". */
function matcher(pattern: string | RegExp): (method: string, path: string) => boolean {
  if (pattern instanceof RegExp) return (method, path) => pattern.test(`${method} ${path}`);
  return (method, path) => pattern === path || pattern === `${method} ${path}`;
}
