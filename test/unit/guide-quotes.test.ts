import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
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
  // IB's own messages, and the guide's own section names.
  /^(Requires additional subscription|delayed data not enabled|Market data on paper and live accounts)$/,
];

/** The literal pieces of a quote: "...", "<id>", N and the like stand for what the bot fills in. */
function fragments(quote: string): string[] {
  return quote
    .split(/\.\.\.|…|<[^>]+>|\bN\b/)
    .map((f) => f.trim().replace(/^[-:;,.\s]+|[:;,.\s]+$/g, ""))
    .filter((f) => f.length >= 4);
}

/** Every template string of the source as its literal pieces: `Client id ${id} is in use` -> ["Client id ", " is in use"]. */
function templates(dir = "src"): string[][] {
  const out: string[][] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      out.push(...templates(path));
      continue;
    }
    if (!path.endsWith(".ts")) continue;
    const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest);
    const visit = (node: ts.Node) => {
      if (ts.isTemplateExpression(node))
        out.push([node.head.text, ...node.templateSpans.map((span) => span.literal.text)]);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return out;
}

/**
 * The bot's template strings as patterns: "Client id", any text, "is in use". A quote may also be
 * the start or the end of one (a title without its id).
 */
function templatePatterns(): Array<{ pattern: RegExp; literal: number }> {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const out: Array<{ pattern: RegExp; literal: number }> = [];
  const add = (body: string, chunks: string[]) =>
    out.push({ pattern: new RegExp(body), literal: chunks.join("").length });
  for (const pieces of templates()) {
    const trimmed = pieces.map((p, i) =>
      i === 0 ? p.replace(/^[\s.:;,]+/, "") : i === pieces.length - 1 ? p.replace(/[\s.:;,]+$/, "") : p,
    );
    const chunks = trimmed.map(literal);
    add(`^${chunks.join(".+?")}$`, trimmed);
    for (let k = 1; k < chunks.length; k++) {
      add(`^${chunks.slice(0, k).join(".+?")}.+$`, trimmed.slice(0, k));
      add(`^.+${chunks.slice(k).join(".+?")}$`, trimmed.slice(k));
    }
  }
  return out;
}

describe("docs/OPERATIONS.md quotes only what the bot says", () => {
  const guide = readFileSync("docs/OPERATIONS.md", "utf8");
  const source = sourceText();
  const patterns = templatePatterns();
  // A template counts when its own words are a good part of the quote, not just ": " around two values.
  const sayable = (piece: string) =>
    source.includes(piece) ||
    patterns.some((p) => p.literal >= Math.max(8, 0.4 * piece.length) && p.pattern.test(piece));
  // A text the bot builds from two of its own ("Exits: " + the coverage line) counts too.
  const said = (piece: string): boolean =>
    sayable(piece) ||
    piece
      .split(": ")
      .some((_, i, parts) => i > 0 && said(parts.slice(0, i).join(": ")) && said(parts.slice(i).join(": ")));
  const quotes = [...new Set([...guide.matchAll(/"([^"\n]{12,})"/g)].map((m) => m[1]!))].filter(
    (q) => !NOT_THE_BOTS.some((re) => re.test(q)),
  );

  it("finds quotes to check, and would catch a text the bot does not print", () => {
    expect(quotes.length).toBeGreaterThan(20);
    expect(said("Exits: every position is protected")).toBe(false);
    expect(said("Gateway fully operational and healthy")).toBe(false);
  });

  it.each(quotes)("%s", (quote) => {
    for (const piece of fragments(quote)) expect(said(piece), `"${piece}" (from "${quote}")`).toBe(true);
  });
});
