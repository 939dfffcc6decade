import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ENV_NAMES } from "../../src/config.js";
import { ALERT_STYLE, type AlertType } from "../../src/trading/alerts.js";
import { SOCAT_ADVICE } from "../../src/trading/ib/connection-supervisor.js";

/**
 * docs/OPERATIONS.md must keep up with the code: a runbook row for every alert kind (with the
 * severity and symbol ALERT_STYLE gives it), every connection state, incident cause, reconciliation finding and
 * approval kind, and every setting in .env.example. The kinds come from the code's own types, read
 * with the TypeScript compiler, so a new alert kind without a runbook row fails here.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");
const guide = read("docs/OPERATIONS.md");

const SOURCES = {
  alerts: "src/trading/alerts.ts",
  supervisor: "src/trading/ib/connection-supervisor.ts",
  codes: "src/trading/ib/ib-codes.ts",
  findings: "src/trading/domain/reconcile-findings.ts",
  schema: "src/store/schema.ts",
} as const;

// ---------------------------------------------------------------------------------------------
// What the code defines.

let compiled: ts.Program | undefined;
function program(): ts.Program {
  if (compiled) return compiled;
  const { config } = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  compiled = ts.createProgram(
    Object.values(SOURCES).map((file) => join(root, file)),
    options,
  );
  return compiled;
}

/** The type an exported type alias (or interface) of `file` declares. */
function exportedType(file: string, name: string): { type: ts.Type; source: ts.SourceFile } {
  const checker = program().getTypeChecker();
  const source = program().getSourceFile(join(root, file));
  if (!source) throw new Error(`${file} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  let symbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
  if (!symbol) throw new Error(`${file} exports no ${name}`);
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return { type: checker.getDeclaredTypeOfSymbol(symbol), source };
}

function stringLiterals(type: ts.Type): string[] {
  return (type.isUnion() ? type.types : [type]).flatMap((t) => (t.isStringLiteral() ? [t.value] : []));
}

/** A union of string literals, e.g. ConnState = "disconnected" | "connecting" | ... */
function literalUnion(file: string, name: string): string[] {
  return stringLiterals(exportedType(file, name).type);
}

/** The `type` discriminant of every member of the Alert union, wherever each member is declared. */
function alertKinds(): string[] {
  const checker = program().getTypeChecker();
  const { type, source } = exportedType(SOURCES.alerts, "Alert");
  const members = type.isUnion() ? type.types : [type];
  return members.flatMap((member) => {
    const discriminant = member.getProperty("type");
    return discriminant ? stringLiterals(checker.getTypeOfSymbolAtLocation(discriminant, source)) : [];
  });
}

/**
 * The incident causes the supervisor raises (`cause: "drop"`, `cause: x ? "hung" : "silent-handshake"`,
 * and `farm:<farm>` for every Farm), read from its source.
 */
function incidentCauses(): string[] {
  const causes = new Set<string>();
  for (const [, expression = ""] of read(SOURCES.supervisor).matchAll(/\bcause:\s*([^,\n]+)/g)) {
    for (const [, literal = ""] of expression.matchAll(/"([^"]+)"/g)) causes.add(literal);
    const template = /`([^`$]*)\$\{/.exec(expression)?.[1];
    if (template === undefined) continue;
    if (template !== "farm:") throw new Error(`unknown templated incident cause: ${expression}`);
    for (const farm of literalUnion(SOURCES.codes, "Farm")) causes.add(`farm:${farm}`);
  }
  return [...causes];
}

/** Every variable .env.example names, set or commented out. */
function envExampleNames(): string[] {
  return [...read(".env.example").matchAll(/^#?[ \t]*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
}

// ---------------------------------------------------------------------------------------------
// What the guide says.

interface Table {
  header: string[];
  rows: string[][];
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** Every markdown table outside code fences: its header cells and body rows. */
function tables(markdown: string): Table[] {
  const found: Table[] = [];
  let current: Table | null = null;
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.trimStart().startsWith("```")) fenced = !fenced;
    if (fenced || !line.trimStart().startsWith("|")) {
      current = null;
      continue;
    }
    const row = cells(line);
    if (!current) {
      current = { header: row, rows: [] };
      found.push(current);
    } else if (!row.every((cell) => /^:?-+:?$/.test(cell))) {
      current.rows.push(row);
    }
  }
  return found;
}

/** The one table whose first header cell is `first`. */
function table(markdown: string, first: string): Table {
  const matching = tables(markdown).filter((t) => t.header[0] === first);
  if (matching.length !== 1) {
    throw new Error(
      `docs/OPERATIONS.md needs exactly one table headed "| ${first} |", found ${matching.length}`,
    );
  }
  return matching[0]!;
}

/** Identifiers in backticks in a table's first column: "`farm:a`, `farm:b`" -> ["farm:a", "farm:b"]. */
function firstColumnIds(t: Table): string[] {
  return t.rows.flatMap((row) => [...(row[0] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

const ALERT_TABLE = "Alert `type`";

/** Alert kinds of the code that have no runbook row in `markdown`. */
function missingAlertRows(markdown: string): string[] {
  const documented = new Set(firstColumnIds(table(markdown, ALERT_TABLE)));
  return alertKinds().filter((kind) => !documented.has(kind));
}

function mentions(markdown: string, name: string): boolean {
  return new RegExp(`(?<![A-Z0-9_])${name}(?![A-Z0-9_])`).test(markdown);
}

// ---------------------------------------------------------------------------------------------

describe("docs/OPERATIONS.md runbook", () => {
  it("reads the alert kinds from the code", () => {
    const kinds = alertKinds();
    // Guards against a vacuous pass if the Alert type could not be resolved.
    expect(kinds.length).toBeGreaterThanOrEqual(20);
    expect(kinds).toEqual(expect.arrayContaining(["connected", "silent-handshake", "entry-missed", "fill"]));
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it("has one row per alert kind, first column the kind in backticks, and no rows for kinds that do not exist", () => {
    const t = table(guide, ALERT_TABLE);
    const firstCells = t.rows.map((row) => row[0] ?? "");
    for (const cell of firstCells) expect(cell, "first column is one `kind`").toMatch(/^`[a-z-]+`$/);
    const documented = firstColumnIds(t);
    expect(missingAlertRows(guide), "alert kinds without a runbook row").toEqual([]);
    expect(documented.filter((kind) => !alertKinds().includes(kind))).toEqual([]);
    expect(new Set(documented).size, "each kind once").toBe(documented.length);
  });

  it("gives each alert the severity and symbol of ALERT_STYLE (urgent pings, the rest are quiet)", () => {
    const t = table(guide, ALERT_TABLE);
    const column = t.header.indexOf("Severity");
    const symbol = t.header.indexOf("Symbol");
    expect(column, "a Severity column").toBeGreaterThan(0);
    expect(symbol, "a Symbol column").toBeGreaterThan(0);
    for (const row of t.rows) {
      const kind = (row[0] ?? "").replaceAll("`", "") as AlertType;
      expect(row[column]?.split(/\W/)[0], `severity of ${kind}`).toBe(ALERT_STYLE[kind]?.severity);
      expect(row[symbol]?.trim(), `symbol of ${kind}`).toBe(ALERT_STYLE[kind]?.symbol);
    }
  });

  it("fails when an alert kind loses its row", () => {
    const withoutRow = guide
      .split("\n")
      .filter((line) => !line.startsWith("| `entry-missed` |"))
      .join("\n");
    expect(missingAlertRows(withoutRow)).toEqual(["entry-missed"]);
  });

  it("explains every connection state, incident cause, reconciliation finding and approval kind", () => {
    const cases: Array<[string, string[]]> = [
      ["Connection state", literalUnion(SOURCES.supervisor, "ConnState")],
      ["Incident cause", incidentCauses()],
      ["Finding `finding`", literalUnion(SOURCES.findings, "ReconcileFindingKind")],
      ["Approval kind", literalUnion(SOURCES.schema, "ApprovalKind")],
    ];
    for (const [header, values] of cases) {
      expect(values.length, `values of "${header}" read from the code`).toBeGreaterThanOrEqual(3);
      const documented = new Set(firstColumnIds(table(guide, header)));
      expect(
        values.filter((v) => !documented.has(v)),
        `missing from the "${header}" table`,
      ).toEqual([]);
    }
  });

  it("quotes the wrong-port advice exactly as the bot posts it", () => {
    expect(guide).toContain(SOCAT_ADVICE);
  });
});

describe("docs/OPERATIONS.md settings", () => {
  it("mentions every variable in .env.example", () => {
    const names = envExampleNames();
    expect(names.length).toBeGreaterThanOrEqual(40);
    expect(names.filter((name) => !mentions(guide, name))).toEqual([]);
  });

  it("mentions every variable the bot reads", () => {
    expect(ENV_NAMES.filter((name) => !mentions(guide, name))).toEqual([]);
  });
});
