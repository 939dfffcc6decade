import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { ChatPort, OutboxItem } from "../alert-dispatcher.js";
import { describeAlert, type Mode, modeLabel } from "../format.js";
import type { Ops } from "../ops.js";
import { statusLines } from "../status-text.js";

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

const SEVERITY_MARK = { info: "✓", warning: "!", urgent: "‼" } as const;

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
    const { title, text } = describeAlert(item.alert);
    const label = modeLabel(this.opts.mode);
    if (this.opts.json) {
      this.write({
        kind: "alert",
        id: item.id,
        type: item.alert.type,
        severity: item.severity,
        mode: label,
        at: item.createdAt.toISOString(),
        title,
        text,
      });
    } else {
      this.print(`[${label}] ${SEVERITY_MARK[item.severity]} ${title}: ${text}`);
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
      switch (head.replace(/^\//, "")) {
        case "status": {
          const view = await this.opts.ops.status();
          return this.reply("status", statusLines(view).join("\n"), false, view);
        }
        case "help":
          return this.reply("help", HELP);
        default:
          return this.reply(head, `Unknown command "${head}". Type /help for the list.`, true);
      }
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
  "  /status                 connection, heartbeat, data ages, positions",
  "  /help                   this list",
  "Demo only (drive the simulated gateway):",
  "  sim drop | hang | silent | clear",
  "  sim lost | restored [data-lost] | farm-broken [market|hmds|secdef] | farm-ok [...]",
  "  sim client-id-in-use | reject-next-order | duplicate-execution | malformed-frame",
  "  sim stall positions,orders,account | competing-session",
  "  sim fill <orderId|orderRef> [price] | sim price SPY 600 | sim cancel <orderId> | sim state",
  "  sim expire <conId> | sim assign <conId>",
].join("\n");
