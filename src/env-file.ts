import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** What `.env` gave: where it is, which line each variable came from, and the lines it could not read. */
export interface EnvFile {
  path: string;
  /** Variables this file set (those already in the real environment win and are not listed). */
  lines: Map<string, number>;
  /** One line per malformed line, e.g. `.env line 4: "IB_PORT 4004" is not NAME=value; ...`. */
  problems: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads `.env` lines as NAME=value (optionally `export NAME=value`, a value in single or double
 * quotes, a ` # comment` after an unquoted value). Blank lines and lines starting with # are
 * skipped; anything else is a problem with its line number, never silently ignored. (dotenv, used
 * before, skips malformed lines without a word and cannot say which line a value came from.)
 */
export function parseEnvText(text: string): {
  values: Map<string, { value: string; line: number }>;
  problems: string[];
} {
  const values = new Map<string, { value: string; line: number }>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const body = trimmed.startsWith("export ") ? trimmed.slice(7).trimStart() : trimmed;
    const eq = body.indexOf("=");
    const name = eq > 0 ? body.slice(0, eq).trim() : "";
    if (!NAME.test(name)) {
      problems.push(
        `.env line ${line}: "${shorten(trimmed)}" is not NAME=value; write it as NAME=value (e.g. IB_PORT=4004) or start the line with # to keep it as a note`,
      );
      return;
    }
    const value = readValue(body.slice(eq + 1).trim());
    if (value === undefined) {
      problems.push(
        `.env line ${line}: the value of ${name} opens a quote it never closes; close it on the same line`,
      );
      return;
    }
    values.set(name, { value, line });
  });
  return { values, problems };
}

function readValue(rest: string): string | undefined {
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const end = rest.indexOf(quote, 1);
    if (end < 0) return undefined;
    const inner = rest.slice(1, end);
    return quote === '"' ? inner.replace(/\\n/g, "\n").replace(/\\"/g, '"') : inner;
  }
  const comment = rest.search(/\s#/);
  return (comment >= 0 ? rest.slice(0, comment) : rest).trim();
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Loads `.env` from `dir` (the working directory by default) into `env` when the file exists.
 * Variables already set in the real environment win. Malformed lines are reported, not applied.
 */
export function loadEnvFile(
  dir = process.cwd(),
  env: Record<string, string | undefined> = process.env,
): EnvFile | undefined {
  const path = join(dir, ".env");
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      path,
      lines: new Map(),
      problems: [`.env: could not be read (${reason}); fix its permissions or remove it`],
    };
  }
  const { values, problems } = parseEnvText(text);
  const lines = new Map<string, number>();
  for (const [name, { value, line }] of values) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    lines.set(name, line);
  }
  return { path, lines, problems };
}

/** Loads `.env` like loadEnvFile; returns its path (undefined when there is none). */
export function readEnvFile(dir = process.cwd()): string | undefined {
  return loadEnvFile(dir)?.path;
}

/** Adds "(from .env line N)" to a configuration problem about a variable that `.env` set. */
export function withEnvOrigin(problem: string, file: EnvFile | undefined): string {
  const name = /^([A-Z0-9_]+):/.exec(problem)?.[1];
  const line = name ? file?.lines.get(name) : undefined;
  return line === undefined ? problem : `${problem} (from .env line ${line})`;
}
