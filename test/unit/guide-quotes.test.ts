import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Everything the bot can say lives in src/; the guide may only quote what is there. */
function sourceText(dir = "src"): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) =>
      statSync(path).isDirectory()
        ? sourceText(path)
        : path.endsWith(".ts")
          ? readFileSync(path, "utf8")
          : "",
    )
    .join("\n");
}

/** Quotes in the guide that are not the bot's words: commands, paths, settings, other programs' output. */
const NOT_THE_BOTS = [
  /^\$|^\/|^\.|^;|^`|^bot:|^tradewarden-|^\d{4}-/,
  /^(docker compose|docker-compose|better-sqlite3|lastHeartbeatRttMs|Only @mentions|System clock synchronized: yes|Up \.\.\. \(healthy\))$/,
  /^(double bid\/ask|reduce with block|no new orders|outcome unknown)$/,
];

/** The literal pieces of a quote: "...", "<id>", N and the like stand for what the bot fills in. */
function fragments(quote: string): string[] {
  return quote
    .split(/\.\.\.|…|<[^>]+>|\bN\b/)
    .map((f) => f.trim().replace(/^[:;,.\s]+|[:;,.\s]+$/g, ""))
    .filter((f) => f.length >= 4);
}

/**
 * The bot's template strings as patterns: `Client id ${id} is in use` becomes "Client id", any text,
 * "is in use". A quote may also be the start or the end of one (a title without its id).
 */
function templatePatterns(source: string): RegExp[] {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const out: RegExp[] = [];
  for (const [, body] of source.matchAll(/`((?:[^`\\]|\\.)*)`/g)) {
    const chunks = (body ?? "").split(/\$\{(?:[^{}]|\{[^{}]*\})*\}/).map(literal);
    if (chunks.length < 2) continue;
    out.push(new RegExp(`^${chunks.join(".+?")}$`));
    for (let k = 1; k < chunks.length; k++) {
      const head = chunks.slice(0, k).join(".+?");
      const tail = chunks.slice(k).join(".+?");
      if (head.replace(/\\/g, "").length >= 8) out.push(new RegExp(`^${head}.+$`));
      if (tail.replace(/\\/g, "").length >= 8) out.push(new RegExp(`^.+${tail}$`));
    }
  }
  return out;
}

describe("docs/OPERATIONS.md quotes only what the bot says", () => {
  const guide = readFileSync("docs/OPERATIONS.md", "utf8");
  const source = sourceText();
  const patterns = templatePatterns(source);
  const said = (piece: string) => source.includes(piece) || patterns.some((p) => p.test(piece));
  const quotes = [...new Set([...guide.matchAll(/"([^"\n]{12,})"/g)].map((m) => m[1]!))].filter(
    (q) => !NOT_THE_BOTS.some((re) => re.test(q)),
  );

  it("finds quotes to check, and would catch a text the bot does not print", () => {
    expect(quotes.length).toBeGreaterThan(20);
    expect(said("Exits: every position has a live TP and SL")).toBe(false);
    expect(said("Reconciled: everything is fine")).toBe(false);
  });

  it.each(quotes)("%s", (quote) => {
    for (const piece of fragments(quote)) expect(said(piece), `"${piece}" (from "${quote}")`).toBe(true);
  });
});
