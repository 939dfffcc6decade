import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { styleOf } from "../../trading/alerts.js";
import type { ChatPort, OutboxItem } from "../alert-dispatcher.js";
import { describeAlert, type Mode, modeLabel } from "../format.js";
import type { Ops } from "../ops.js";
import { runConsoleCommand } from "./console-commands.js";

/** Handles `sim ...` lines in demo mode; returns the reply text. */
export type SimConsole = (args: string[]) => Promise<string>;

export interface ConsoleChatOptions {
  ops: Ops;
  mode: Mode;
  json: boolean;
  input: Readable;
  output: Writable;
  sim?: SimConsole;
}

/**
 * The console chat adapter: slash commands typed on stdin, alerts and replies printed
 * (as text, or one JSON object per line for scripts). It only parses and formats.
 */
export class ConsoleChat implements ChatPort {
  private rl: Interface | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ConsoleChatOptions) {}

  start(): void {
    this.rl = createInterface({ input: this.opts.input, terminal: false });
    this.rl.on("line", (line) => {
      this.queue = this.queue.then(() => this.handle(line.trim())).catch(() => {});
    });
  }

  stop(): void {
    this.rl?.close();
  }

  /** Resolves when every line read so far has been answered. */
  idle(): Promise<void> {
    return this.queue;
  }

  async deliver(item: OutboxItem): Promise<string | undefined> {
    const described = describeAlert(item.alert);
    const { title } = described;
    // The console has no buttons: an approval says how to answer here.
    const text =
      item.alert.type === "approval-requested"
        ? `${described.text} Answer: approve ${item.alert.approvalId} / reject ${item.alert.approvalId}`
        : described.text;
    const label = modeLabel(this.opts.mode);
    if (this.opts.json) {
      this.write({
        kind: "alert",
        id: item.id,
        type: item.alert.type,
        severity: item.severity,
        symbol: styleOf(item.alert).symbol,
        mode: label,
        at: item.createdAt.toISOString(),
        title,
        text,
      });
    } else {
      this.print(`[${label}] ${styleOf(item.alert).symbol} ${title}: ${text}`);
    }
    return `console:${item.id}`;
  }

  private async handle(line: string): Promise<void> {
    if (!line) return;
    const [head = "", ...args] = line.split(/\s+/);
    try {
      if (head === "sim") {
        if (!this.opts.sim) return this.reply("sim", "sim commands only work in demo mode.", true);
        return this.reply("sim", await this.opts.sim(args));
      }
      const name = head.replace(/^\//, "");
      if (name === "help") return this.reply("help", HELP);
      const result = await runConsoleCommand(this.opts.ops, name, args);
      return this.reply(name, result.text, !result.ok, result.data);
    } catch (err) {
      return this.reply(head, `Failed: ${err instanceof Error ? err.message : String(err)}`, true);
    }
  }

  private reply(command: string, text: string, error = false, data?: unknown): void {
    const cmd = command.replace(/^\//, "");
    if (this.opts.json)
      this.write({ kind: "reply", command: cmd, ok: !error, text, ...(data ? { data } : {}) });
    else this.print(`[${modeLabel(this.opts.mode)}] ${text}`);
  }

  private write(obj: Record<string, unknown>): void {
    this.opts.output.write(`${JSON.stringify(obj)}\n`);
  }

  private print(text: string): void {
    this.opts.output.write(`${text}\n`);
  }
}

const HELP = [
  "Commands:",
  "  /status                 connection, heartbeat, data ages, schedule, exits",
  "  /positions              open positions with their TP/SL at the broker, mark and P&L",
  "  /orders                 open orders at the broker",
  "  /trades [days]          closed trades and P&L (default 7 days)",
  "  /entry [strike:625] [expiry:20260430] [quantity:1] [limit:6.10]",
  "                          preview today's entry and ask for approval",
  "  /reattach [position]    re-attach missing TP/SL (preview, then approval)",
  "  /reconcile              compare the journal with the broker now",
  "  /pause | /resume        stop or restart the scheduled entry",
  "  /approvals              what waits for a decision",
  "  approve <id> | reject <id>",
  "  /help                   this list",
  "Demo only (drive the simulated gateway):",
  "  sim drop | hang | silent | clear",
  "  sim lost | restored [data-lost] | farm-broken [market|hmds|secdef] | farm-ok [...]",
  "  sim client-id-in-use | reject-next-order | duplicate-execution | malformed-frame",
  "  sim stall positions,orders,account | competing-session",
  "  sim fill <orderId|orderRef> [price] | sim price SPY 600 | sim cancel <orderId> | sim state",
  "  sim expire <conId> | sim assign <conId>",
].join("\n");
