/** Every situation the bot tells the trader about: one kind per situation. */
export type CachePart = "positions" | "orders" | "account";

export type Alert =
  | { type: "connected"; endpoint: string; serverVersion: number; accounts: string[] }
  | { type: "disconnected"; reason: string; advice?: string }
  | { type: "reconnected"; downtimeMs: number; drops: number; causes: string[] }
  | { type: "degraded"; reason: string }
  | { type: "restored"; downtimeMs: number; causes: string[] }
  | { type: "silent-handshake"; endpoint: string; advice: string }
  | { type: "client-id-in-use"; clientId: number; advice: string }
  | { type: "competing-session"; detail: string; advice: string }
  | { type: "stale"; part: CachePart; ageMs: number; limitMs: number }
  | { type: "fresh"; part: CachePart; staleForMs: number };

export type AlertType = Alert["type"];
export type Severity = "info" | "warning" | "urgent";

const SEVERITY: Record<AlertType, Severity> = {
  connected: "info",
  disconnected: "urgent",
  reconnected: "info",
  degraded: "urgent",
  restored: "info",
  "silent-handshake": "urgent",
  "client-id-in-use": "urgent",
  "competing-session": "urgent",
  stale: "warning",
  fresh: "info",
};

export function severityOf(alert: Alert): Severity {
  return SEVERITY[alert.type];
}
