import type { APIEmbed } from "discord.js";
import type { Severity } from "../../trading/alerts.js";
import type { ConnState } from "../../trading/ib/connection-supervisor.js";
import { type Mode, modeLabel } from "../format.js";
import { etClock, etDayTime } from "../times.js";

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

/**
 * A time as the trader reads it everywhere: New York time with its zone ("09:35 ET", or with the day
 * when it is another day), not Discord's viewer-local timestamp.
 */
export function traderTime(iso: string, style: "t" | "f" = "f"): string {
  return style === "t" ? etClock(iso) : etDayTime(iso);
}
