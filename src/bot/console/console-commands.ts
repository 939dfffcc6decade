import type { z } from "zod";
import {
  entryOptions,
  explainOptions,
  guessOption,
  noOptions,
  OPTION_EXAMPLES,
  reattachOptions,
  tradesOptions,
} from "../command-options.js";
import type { Ops } from "../ops.js";
import { statusLines } from "../status-text.js";
import {
  approvalsText,
  decisionText,
  entryPreviewText,
  ordersText,
  positionsText,
  reattachText,
  reconcileText,
  tradesText,
} from "../views.js";

export interface ConsoleReply {
  text: string;
  ok: boolean;
  data?: unknown;
}

interface ConsoleCommand<S extends z.ZodType> {
  options: S;
  /** The option a bare value fills: "/trades 30" is "/trades days:30". */
  positional?: string;
  run(ops: Ops, options: z.output<S>): Promise<ConsoleReply>;
}

const ACTOR = "console";

function command<S extends z.ZodType>(c: ConsoleCommand<S>): ConsoleCommand<z.ZodType> {
  return c as unknown as ConsoleCommand<z.ZodType>;
}

const reply = (text: string, data?: unknown): ConsoleReply => ({ text, ok: true, data });

export const CONSOLE_COMMANDS: Record<string, ConsoleCommand<z.ZodType>> = {
  status: command({
    options: noOptions,
    async run(ops) {
      const view = await ops.status();
      return reply(statusLines(view).join("\n"), view);
    },
  }),
  positions: command({
    options: noOptions,
    async run(ops) {
      const list = await ops.trade.positions();
      return reply(positionsText(list), list);
    },
  }),
  orders: command({
    options: noOptions,
    async run(ops) {
      const view = await ops.trade.orders();
      return reply(ordersText(view), view);
    },
  }),
  trades: command({
    options: tradesOptions,
    positional: "days",
    async run(ops, o) {
      const list = await ops.trade.trades(o.days);
      return reply(tradesText(list, o.days), list);
    },
  }),
  entry: command({
    options: entryOptions,
    async run(ops, o) {
      const { preview, approval, refused } = await ops.trade.requestEntry(ACTOR, o);
      if (refused !== null)
        return { ok: false, text: `${refused}\n${entryPreviewText(preview)}`, data: { preview, refused } };
      return reply(
        `${entryPreviewText(preview)}\nApproval ${approval.id}: approve ${approval.id} / reject ${approval.id}`,
        {
          preview,
          approval,
        },
      );
    },
  }),
  reattach: command({
    options: reattachOptions,
    positional: "position",
    async run(ops, o) {
      const { candidates, approval } = await ops.trade.requestReattach(ACTOR, o.position);
      const text = reattachText(candidates);
      return reply(
        approval ? `${text}\nApproval ${approval.id}: approve ${approval.id} / reject ${approval.id}` : text,
        {
          candidates,
          approval,
        },
      );
    },
  }),
  reconcile: command({
    options: noOptions,
    async run(ops) {
      const report = await ops.trade.reconcile();
      return reply(reconcileText(report), report);
    },
  }),
  pause: command({
    options: noOptions,
    async run(ops) {
      const state = await ops.trade.pause(ACTOR);
      return reply(
        state.changed
          ? "Schedule paused: no scheduled entry until /resume."
          : "The schedule was already paused.",
        state,
      );
    },
  }),
  resume: command({
    options: noOptions,
    async run(ops) {
      const state = await ops.trade.resume(ACTOR);
      return reply(state.changed ? "Schedule resumed." : "The schedule was not paused.", state);
    },
  }),
  approvals: command({
    options: noOptions,
    async run(ops) {
      const list = await ops.trade.approvals();
      return reply(approvalsText(list), list);
    },
  }),
};

/** Parses "key:value" (or "key=value", or one bare value for the positional option) into options. */
export function parseConsoleOptions(args: string[], positional?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of args) {
    const m = /^([a-z]+)[:=](.*)$/i.exec(arg);
    const [key, raw] = m ? [m[1]!.toLowerCase(), m[2]!] : [positional ?? arg, arg];
    const flag = /^(true|false)$/i.test(raw) ? raw.toLowerCase() === "true" : undefined;
    out[key] = flag ?? (key !== "expiry" && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw);
  }
  return out;
}

/** A bare value where the command takes only named options: say which name it needs. */
function bareValueHint(name: string, args: string[], cmd: ConsoleCommand<z.ZodType>): string | undefined {
  if (cmd.positional) return undefined;
  const bare = args.find((a) => !/^[a-z]+[:=]/i.test(a));
  if (bare === undefined) return undefined;
  const shape = (cmd.options as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const names = Object.keys(shape);
  if (names.length === 0) return `/${name} takes no options; type /${name} alone.`;
  const guess = guessOption(bare, names);
  const listed = names.map((n) => `${n}:${OPTION_EXAMPLES[n] ?? "..."}`).join(" ");
  return guess
    ? `/${name}: "${bare}" needs its option name: ${guess}:${bare} (options: ${listed})`
    : `/${name}: "${bare}" is not an option; write options as name:value (${listed})`;
}

export async function runConsoleCommand(ops: Ops, typed: string, args: string[]): Promise<ConsoleReply> {
  // /STATUS and /Status are /status; option values keep their case.
  const name = typed.toLowerCase();
  if (name === "approve" || name === "reject") {
    const id = args[0];
    if (!id) return { ok: false, text: `usage: ${name} <approval id> (see /approvals)` };
    const decision = await ops.trade.decideFromConsole(id, name);
    return { ok: decision.ok, text: decisionText(decision), data: decision };
  }
  const cmd = CONSOLE_COMMANDS[name];
  if (!cmd) return { ok: false, text: `Unknown command "${typed}". Type /help for the list.` };
  const hint = bareValueHint(name, args, cmd);
  if (hint) return { ok: false, text: hint };
  const parsed = cmd.options.safeParse(parseConsoleOptions(args, cmd.positional));
  if (!parsed.success) return { ok: false, text: `/${name}: ${explainOptions(parsed.error)}` };
  return cmd.run(ops, parsed.data);
}
