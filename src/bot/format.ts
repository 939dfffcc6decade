import type { Alert, LifecycleAlert } from "../trading/alerts.js";
import { type ApprovalAlert, describeApprovalAlert } from "../trading/approvals/approval-alerts.js";
import { describeScheduleAlert, type ScheduleAlert } from "../trading/schedule/schedule-alerts.js";

export type Mode = "demo" | "paper" | "live";

export function modeLabel(mode: Mode): string {
  return mode.toUpperCase();
}

/** "450 ms", "4s", "12m 03s", "1h 05m": minutes and seconds padded so columns read at a glance. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "unknown";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (m < 60) return `${m}m ${pad(s % 60)}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${pad(m % 60)}m`;
}

type Described = { title: string; text: string };
type ConnectionAlert = Exclude<Alert, LifecycleAlert | ApprovalAlert | ScheduleAlert>;

/** Title and body of an alert, the same words on every chat platform. */
export function describeAlert(alert: Alert): Described {
  switch (alert.type) {
    case "approval-requested":
    case "approval-decided":
    case "approval-expired":
    case "approval-withdrawn":
      return describeApprovalAlert(alert);
    case "entry-skipped":
    case "entry-missed":
    case "entry-failed":
    case "preflight-problems":
    case "preflight-report":
      return describeScheduleAlert(alert);
    case "fill":
    case "fill-corrected":
    case "order-rejected":
    case "exits-attached":
    case "entry-placed":
    case "finding":
    case "position-closed":
    case "assigned":
    case "daily-summary":
      return describeLifecycleAlert(alert);
    default:
      return describeConnectionAlert(alert);
  }
}

function describeConnectionAlert(alert: ConnectionAlert): Described {
  switch (alert.type) {
    case "connected":
      return {
        title: "Connected to the gateway",
        text: `${alert.endpoint}, server version ${alert.serverVersion}, account ${alert.accounts.join(", ") || "unknown"}.`,
      };
    case "disconnected":
      return { title: "Gateway disconnected", text: withAdvice(`${cap(alert.reason)}.`, alert.advice) };
    case "reconnected": {
      const drops = alert.drops > 1 ? ` after ${alert.drops} drops` : "";
      return {
        title: "Gateway reconnected",
        text: `Back${drops}; down for ${duration(alert.downtimeMs)} in all (${alert.causes.join(", ")}).`,
      };
    }
    case "degraded":
      return {
        title: "Gateway degraded",
        text: `${cap(alert.reason)}. Orders and data may not reach IBKR until it recovers.`,
      };
    case "restored":
      return {
        title: "Gateway restored",
        text: `Healthy again after ${duration(alert.downtimeMs)} (${alert.causes.join(", ")}).`,
      };
    case "silent-handshake":
      return {
        title: "Gateway accepted TCP but never answered",
        text: withAdvice(
          `The gateway at ${alert.endpoint} accepted the TCP connection but never answered.`,
          alert.advice,
        ),
      };
    case "client-id-in-use":
      return { title: `Client id ${alert.clientId} is in use`, text: alert.advice };
    case "competing-session":
      return { title: "Competing IBKR session", text: withAdvice(`${alert.detail}.`, alert.advice) };
    case "account-problem":
      return { title: "No account to trade", text: alert.text };
    case "stale":
      return {
        title: `Stale ${alert.part} data`,
        text: `The ${alert.part} data is ${duration(alert.ageMs)} old (limit ${duration(alert.limitMs)}) while connected: the gateway is not answering those requests.`,
      };
    case "fresh":
      return {
        title: `${cap(alert.part)} data fresh again`,
        text: `It had been stale for ${duration(alert.staleForMs)}.`,
      };
  }
}

function withAdvice(text: string, advice?: string): string {
  return advice ? `${text} ${advice}` : text;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function describeLifecycleAlert(alert: LifecycleAlert): Described {
  switch (alert.type) {
    case "fill": {
      const what = {
        entry: "Entry filled",
        tp: "Take-profit filled",
        sl: "Stop-loss filled",
        close: "Close filled",
        unknown: "Fill",
      }[alert.intent];
      const pnl = alert.pnl === undefined ? "" : ` P&L ${money(alert.pnl)}.`;
      const pos = alert.positionId === null ? "" : ` (position ${alert.positionId})`;
      const note = alert.note ? ` ${cap(alert.note)}.` : "";
      return {
        title: `${what}: ${alert.contract}`,
        text: `${alert.side === "SLD" ? "SOLD" : "BOUGHT"} ${alert.quantity} at ${alert.price.toFixed(2)}${pos}.${pnl}${note}`,
      };
    }
    case "fill-corrected": {
      const size =
        alert.quantity === alert.previousQuantity
          ? `${alert.quantity}`
          : `${alert.previousQuantity} -> ${alert.quantity}`;
      const pos =
        alert.positionId === null
          ? ""
          : ` Position ${alert.positionId}, its entry price and P&L follow the corrected figures.`;
      return {
        title: `Fill corrected by IB: ${alert.contract}`,
        text: `${alert.side === "SLD" ? "SOLD" : "BOUGHT"} ${size} at ${alert.previousPrice.toFixed(2)} -> ${alert.price.toFixed(2)} (${alert.orderRef || alert.execId}); the correction replaces the first report, it is not a second fill.${pos}`,
      };
    }
    case "order-rejected":
      return {
        title: `Order rejected: ${alert.contract}`,
        text:
          alert.code === 0
            ? `${alert.orderRef} is not working at IB: ${alert.reason}`
            : `${alert.orderRef} was rejected by IB (${alert.code}): ${alert.reason}`,
      };
    case "exits-attached":
      return {
        title: `Exits attached: ${alert.contract}`,
        text: `Position ${alert.positionId}: TP BUY LMT ${alert.tp.toFixed(2)} and SL BUY STP ${alert.sl.toFixed(2)}, GTC, OCA group ${alert.ocaGroup}.`,
      };
    case "entry-placed": {
      const qty = alert.quantity === undefined ? "" : `${alert.quantity} `;
      const credit =
        alert.quantity === undefined ? "" : ` = ${dollars(alert.limit * 100 * alert.quantity)} credit`;
      const exits =
        alert.tp === undefined || alert.sl === undefined
          ? ""
          : ` On fill: TP ${alert.tp.toFixed(2)}, SL ${alert.sl.toFixed(2)}.`;
      return {
        title: `Entry placed: SELL ${qty}${alert.contract}${alert.data === "delayed" ? " (DELAYED data)" : ""}`,
        text:
          `Limit ${alert.limit.toFixed(2)}${credit}, delta ${deltaText(alert.delta, alert.deltaFrom, 2)}, ${alert.dte} days to expiry (${alert.orderRef}).${exits}` +
          dataText(alert.data, alert.dataNote),
      };
    }
    case "finding":
      return { title: alert.text, text: alert.advice };
    case "position-closed":
      return { title: `Position ${alert.positionId} closed: ${alert.contract}`, text: alert.text };
    case "assigned":
      return { title: `Assigned: ${alert.contract}`, text: alert.text };
    case "daily-summary": {
      const cover =
        alert.uncovered === null
          ? "exit coverage unknown (not connected)"
          : alert.uncovered.length === 0
            ? "all covered by TP and SL"
            : `WITHOUT exits: ${alert.uncovered.join(", ")}`;
      return {
        title: `Daily summary ${alert.tradingDay}`,
        text:
          `${alert.openPositions} open positions, ${cover}. Today: ${alert.fills} fills, ` +
          `${alert.closedTrades} closed trades, realized ${money(alert.realizedPnl)}. ` +
          `Gateway not connected for ${duration(alert.downtimeMs)} today.`,
      };
    }
  }
}

/** "$1,220.00": an amount, no sign (money() signs P&L). */
export function dollars(amount: number): string {
  return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function money(dollars: number): string {
  const sign = dollars < 0 ? "-" : "+";
  return `${sign}$${Math.abs(dollars).toFixed(2)}`;
}

/** "0.15", "0.15 (model)" or "0.15 (DELAYED)": where the delta came from, when it was not live greeks. */
export function deltaText(
  delta: number | null | undefined,
  from: "live" | "delayed" | "model" | null | undefined,
  digits: number,
): string {
  if (delta === null || delta === undefined) return "unknown";
  const value = delta.toFixed(digits);
  if (from === "model") return `${value} (model: computed from the option's mid, IB sent no greeks)`;
  if (from === "delayed") return `${value} (DELAYED)`;
  return value;
}

/** " Priced on DELAYED data (...)." when the quotes were delayed; "" for live data. */
export function dataText(data: "live" | "delayed" | undefined, note: string | null | undefined): string {
  if (data !== "delayed") return "";
  return ` Priced on DELAYED data (about 15 minutes old)${note ? `: ${note}` : ""}.`;
}
