import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleChat } from "../../src/bot/console/console-chat.js";
import type { Ops } from "../../src/bot/ops.js";
import { ALERT_STYLE, type Alert, severityOf, styleOf } from "../../src/trading/alerts.js";

const stop: Alert = {
  type: "fill",
  intent: "sl",
  contract: "SPY 624P 2026-04-30",
  side: "BOT",
  quantity: 1,
  price: 18.54,
  positionId: 18,
  orderRef: "tw:sl:18",
  pnl: -3238.38,
};
const takeProfit: Alert = { ...stop, intent: "tp", price: 2.43, orderRef: "tw:tp:18", pnl: 371.62 };
const failed: Alert = {
  type: "approval-decided",
  approvalId: "a1",
  kind: "entry",
  summary: "SELL 1 SPY 624P",
  verdict: "approve",
  outcome: "failed",
  decidedBy: "discord:1",
  text: "Failed: today's entry is already placed",
  chatRef: null,
} as Alert;

/** A console chat in text mode, and what it printed. */
function consoleOn(mode: "paper" | "demo") {
  const output = new PassThrough();
  let text = "";
  output.on("data", (c: Buffer) => {
    text += c.toString();
  });
  const chat = new ConsoleChat({ ops: {} as Ops, mode, json: false, input: new PassThrough(), output });
  return { chat, printed: () => text };
}

describe("severity and symbol by consequence", () => {
  it.each([
    ["a stop-loss fill at a loss", stop, { severity: "warning", symbol: "▼" }],
    ["a take-profit fill at a profit", takeProfit, { severity: "info", symbol: "✓" }],
    ["an approval that failed", failed, { severity: "warning", symbol: "✗" }],
    [
      "a position closed with an outcome the bot could not book",
      {
        type: "position-closed",
        positionId: 1,
        contract: "x",
        reason: "external",
        pnl: null,
        text: "t",
      } as Alert,
      { severity: "warning", symbol: "?" },
    ],
    [
      "an entry fill (no P&L yet)",
      { ...stop, intent: "entry", side: "SLD", pnl: undefined } as Alert,
      ALERT_STYLE.fill,
    ],
  ])("%s", (_name, alert, style) => {
    expect(styleOf(alert)).toEqual(style);
    expect(severityOf(alert)).toBe(style.severity);
  });

  it("no kind that reports a loss or a failure wears a check mark of its own", () => {
    for (const kind of ["order-rejected", "entry-missed", "entry-failed", "disconnected", "finding"] as const)
      expect(ALERT_STYLE[kind].symbol, kind).not.toBe("✓");
  });

  it("the console shows a loss with ▼, never with a check mark", async () => {
    const { chat, printed } = consoleOn("paper");
    await chat.deliver({ id: 1, alert: stop, severity: severityOf(stop), createdAt: new Date() });
    expect(printed()).toMatch(/\[PAPER\] ▼ Stop-loss filled/);
    expect(printed()).not.toContain("✓");
  });

  it("the console tells how to answer an approval in its own words, never 'the buttons'", async () => {
    const { chat, printed } = consoleOn("demo");
    const ask: Alert = {
      type: "approval-requested",
      approvalId: "k3x9",
      nonce: "n",
      kind: "reattach",
      summary: "Re-attach TP 2.46 / SL 18.48 to SPY 624P 2026-04-30?",
      requestedBy: "reconciler",
      expiresAt: "2026-02-04T15:25:00.000Z",
    };
    await chat.deliver({ id: 2, alert: ask, severity: severityOf(ask), createdAt: new Date() });
    expect(printed()).toContain("Expires at 10:25 ET. Answer: approve k3x9 / reject k3x9");
    expect(printed()).not.toMatch(/button/i);
  });
});
