import type { APIEmbed } from "discord.js";
import type { Severity } from "../../trading/alerts.js";
import type { ConnState } from "../../trading/ib/connection-supervisor.js";
import { type Mode, modeLabel } from "../format.js";

export const COLOURS = {
  red: 0xe74c3c,
  amber: 0xf39c12,
  green: 0x2ecc71,
  blue: 0x3498db,
} as const;

export const SEVERITY_COLOUR: Record<Severity, number> = {
  urgent: COLOURS.red,
  warning: COLOURS.amber,
  info: COLOURS.blue,
};

export const STATE_COLOUR: Record<ConnState, number> = {
  connected: COLOURS.green,
  degraded: COLOURS.amber,
  connecting: COLOURS.blue,
  disconnected: COLOURS.red,
};

/** Every post shows DEMO, PAPER or LIVE at its top, so paper and live are never confused. */
export function withMode(embed: APIEmbed, mode: Mode): APIEmbed {
  return { ...embed, author: { name: modeLabel(mode) } };
}

/** "discord:<id>" as a mention, which Discord shows as the name; our posts allow no pings. */
export function actorLabel(actor: string | null): string {
  if (!actor) return "someone";
  const discordUser = /^discord:(\d+)$/.exec(actor);
  return discordUser ? `<@${discordUser[1]}>` : actor;
}

/** An ISO instant as a Discord timestamp, shown in each reader's own time zone. */
export function discordTime(iso: string, style: "t" | "f" | "R" = "f"): string {
  return `<t:${Math.floor(Date.parse(iso) / 1000)}:${style}>`;
}
