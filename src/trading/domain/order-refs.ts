/**
 * Deterministic orderRefs: the idempotency keys that tie broker orders back to the journal.
 *
 *   entry  tw:entry:<YYYY-MM-DD>:<SYMBOL>-<P|C>[:<strategy>][/<attempt>]
 *          e.g. tw:entry:2026-02-04:SPY-P; tw:entry:2026-02-04:SPY-P/2 after a first attempt that
 *          never worked at the broker (rejected, or lost in a hung gateway)
 *   exit   tw:<tp|sl>:<positionId>[:<attempt>]                  e.g. tw:tp:18, tw:sl:18:2
 *   OCA    tw:oca:<positionId>:<attempt>                        e.g. tw:oca:18:1
 *
 * The journal's order_ref is unique forever, and TWS never reuses an OCA group name, so a re-attach
 * uses the next attempt for all three names. Attempt 1 of an exit ref has no suffix (tw:tp:18).
 */

export type ExitKind = "tp" | "sl";
export type OptionRight = "P" | "C";
/** Journal ids are numbers; refs written by others (the simulator's seed) may use text ids like "seed-18". */
export type PositionKey = number | string;

export type ParsedOrderRef =
  | { kind: "entry"; day: string; symbol: string; right: OptionRight; strategy: string; attempt: number }
  | { kind: ExitKind; positionId: PositionKey; attempt: number }
  | { kind: "foreign"; ref: string; ours: boolean };

export interface ExitOrderRefs {
  tp: string;
  sl: string;
  ocaGroup: string;
}

export class OrderRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OrderRefError";
  }
}

const PREFIX = "tw:";
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SEGMENT = /^[^:/\s]+$/;
const ENTRY = /^tw:entry:(\d{4}-\d{2}-\d{2}):([^:/\s]+)-([PC])(?::([^:/\s]+))?(?:\/(\d+))?$/;
const EXIT = /^tw:(tp|sl):([^:\s]+)(?::(\d+))?$/;
const OCA = /^tw:oca:([^:\s]+)(?::(\d+))?$/;

/** The strategy a ref names when it names none: "spy-put" for SPY puts. */
export function strategyName(symbol: string, right: OptionRight): string {
  return `${symbol.toLowerCase()}-${right === "P" ? "put" : "call"}`;
}

/**
 * The ref of a strategy's entry on a trading day; the strategy is left out when it is
 * strategyName(symbol, right), the attempt when it is 1.
 */
export function entryRef(
  strategy: string,
  tradingDay: string,
  symbol: string,
  right: OptionRight,
  attempt = 1,
): string {
  if (!DAY.test(tradingDay)) throw new OrderRefError(`Trading day must be YYYY-MM-DD, got "${tradingDay}".`);
  requireSegment("Symbol", symbol);
  requireSegment("Strategy", strategy);
  requireAttempt(attempt);
  const base = `${PREFIX}entry:${tradingDay}:${symbol}-${right}`;
  const named = strategy === strategyName(symbol, right) ? base : `${base}:${strategy}`;
  return attempt === 1 ? named : `${named}/${attempt}`;
}

export function exitRef(kind: ExitKind, positionId: PositionKey, attempt = 1): string {
  const id = positionKey(positionId);
  requireAttempt(attempt);
  return attempt === 1 ? `${PREFIX}${kind}:${id}` : `${PREFIX}${kind}:${id}:${attempt}`;
}

export function ocaGroupFor(positionId: PositionKey, attempt: number): string {
  const id = positionKey(positionId);
  requireAttempt(attempt);
  return `${PREFIX}oca:${id}:${attempt}`;
}

/** The TP and SL refs and their OCA group for one attach attempt of a position. */
export function exitOrderRefs(positionId: PositionKey, attempt: number): ExitOrderRefs {
  return {
    tp: exitRef("tp", positionId, attempt),
    sl: exitRef("sl", positionId, attempt),
    ocaGroup: ocaGroupFor(positionId, attempt),
  };
}

export function parseOrderRef(ref: string): ParsedOrderRef {
  const entry = ENTRY.exec(ref);
  if (entry) {
    const [, day = "", symbol = "", right = "P", strategy, attempt] = entry;
    const r = right as OptionRight;
    return {
      kind: "entry",
      day,
      symbol,
      right: r,
      strategy: strategy ?? strategyName(symbol, r),
      attempt: attempt ? Number(attempt) : 1,
    };
  }
  const exit = EXIT.exec(ref);
  if (exit) {
    const [, kind = "tp", id = "", attempt] = exit;
    return { kind: kind as ExitKind, positionId: parseKey(id), attempt: attempt ? Number(attempt) : 1 };
  }
  return { kind: "foreign", ref, ours: ref.startsWith(PREFIX) };
}

/** An OCA group's position and attempt; a group without an attempt (tw:oca:seed-18) counts as attempt 0. */
export function parseOcaGroup(group: string): { positionId: PositionKey; attempt: number } | undefined {
  const match = OCA.exec(group);
  if (!match) return undefined;
  const [, id = "", attempt] = match;
  return { positionId: parseKey(id), attempt: attempt ? Number(attempt) : 0 };
}

/**
 * The attempt to use for a position's next (re-)attach: one more than any attempt seen in `used`,
 * which holds the journal's orderRefs and OCA groups (other positions' names are ignored).
 */
export function nextExitAttempt(positionId: PositionKey, used: Iterable<string | null | undefined>): number {
  const id = String(positionId);
  let highest = 0;
  for (const name of used) {
    if (!name) continue;
    const exit = parseOrderRef(name);
    if ((exit.kind === "tp" || exit.kind === "sl") && String(exit.positionId) === id) {
      highest = Math.max(highest, exit.attempt);
      continue;
    }
    const oca = parseOcaGroup(name);
    if (oca && String(oca.positionId) === id) highest = Math.max(highest, oca.attempt);
  }
  return highest + 1;
}

export function isOurRef(ref: string | null | undefined): boolean {
  return ref?.startsWith(PREFIX) ?? false;
}

function parseKey(id: string): PositionKey {
  return /^[1-9]\d*$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

function positionKey(positionId: PositionKey): string {
  const id = String(positionId);
  if (typeof positionId === "number" && !(Number.isSafeInteger(positionId) && positionId > 0)) {
    throw new OrderRefError(`Position id must be a positive integer, got ${positionId}.`);
  }
  requireSegment("Position id", id);
  return id;
}

function requireSegment(what: string, value: string): void {
  if (!SEGMENT.test(value)) {
    throw new OrderRefError(`${what} must be non-empty text without ":" or spaces, got "${value}".`);
  }
}

function requireAttempt(attempt: number): void {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new OrderRefError(`Attempt must be a whole number from 1, got ${attempt}.`);
  }
}
