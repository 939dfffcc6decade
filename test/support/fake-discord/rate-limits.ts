import { createHash } from "node:crypto";

export interface RateLimitOptions {
  /** Requests per bucket per window. */
  limit: number;
  windowMs: number;
}

/** Roomy enough that tests never wait on it; a test of the headers sets its own. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 50, windowMs: 1_000 };

interface Bucket {
  hash: string;
  remaining: number;
  resetAt: number;
}

/**
 * Per-route buckets, as Discord keys them (Rate Limits: "per-route", with the top-level
 * resource id as the major parameter): `POST /channels/1/messages` and `POST
 * /channels/2/messages` are two buckets, edits of any message in a channel share one.
 * Every answer carries X-RateLimit-*; a request past the limit gets 429.
 */
export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  /** The headers for this request, and whether it is over the limit. */
  take(method: string, path: string): { headers: Record<string, string>; limited: boolean } {
    const route = routeKey(method, path);
    const now = this.now();
    let bucket = this.buckets.get(route);
    if (!bucket || bucket.resetAt <= now) {
      const hash = createHash("sha1")
        .update(route.replace(/\d{5,}/, ":id"))
        .digest("hex")
        .slice(0, 16);
      bucket = { hash, remaining: this.opts.limit, resetAt: now + this.opts.windowMs };
      this.buckets.set(route, bucket);
    }
    const limited = bucket.remaining === 0;
    if (!limited) bucket.remaining--;
    const resetAfter = (bucket.resetAt - now) / 1000;
    const headers: Record<string, string> = {
      "x-ratelimit-limit": String(this.opts.limit),
      "x-ratelimit-remaining": String(bucket.remaining),
      "x-ratelimit-reset": ((Date.now() + (bucket.resetAt - now)) / 1000).toFixed(3),
      "x-ratelimit-reset-after": resetAfter.toFixed(3),
      "x-ratelimit-bucket": bucket.hash,
    };
    if (limited) {
      headers["retry-after"] = String(Math.max(1, Math.ceil(resetAfter)));
      headers["x-ratelimit-scope"] = "user";
    }
    return { headers, limited };
  }
}

/** "POST /channels/123/messages" keeps the channel id (major parameter); minor ids become ":id". */
export function routeKey(method: string, path: string): string {
  const major = /^\/(channels|guilds|webhooks)\/(\d+)/.exec(path);
  const rest = path
    .slice(major ? major[0].length : 0)
    .replace(/\/\d{5,}/g, "/:id")
    .replace(/\/reactions\/.*/, "/reactions");
  return `${method} ${major ? major[0] : ""}${rest}`;
}
