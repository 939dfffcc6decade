import type { RestResult } from "./types.js";

interface Fault {
  match: (method: string, path: string) => boolean;
  remaining: number;
  answer: RestResult;
}

const CHANNEL_POST = /^\/channels\/\d+\/messages$/;

/** Injected REST failures: counted 429s and 5xxs by path, and an outage of channel posts. */
export class FaultPlan {
  private faults: Fault[] = [];
  private outage: "503" | "reset" | null = null;

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
