import { type APIAllowedMentions, MessageFlags, type RESTPostAPIChannelMessageJSONBody } from "discord.js";
import type { DiscordConfig } from "../../config.js";
import { styleOf } from "../../trading/alerts.js";
import type { OutboxItem } from "../alert-dispatcher.js";
import { describeAlert, type Mode, modeLabel } from "../format.js";
import { fitMessage } from "./limits.js";
import { SEVERITY_COLOUR, withMode } from "./style.js";

export interface Mentions {
  content: string;
  allowed: APIAllowedMentions;
}

const NO_MENTIONS: APIAllowedMentions = { parse: [] };

/**
 * Who an urgent alert pings: the alert role if set, else the allowed users, else the
 * allowed role. Only the listed ids may ping; text inside the alert never does.
 */
export function urgentMentions(
  config: Pick<DiscordConfig, "alertRoleId" | "allowedUserIds" | "allowedRoleId">,
): Mentions | null {
  const role = config.alertRoleId ?? (config.allowedUserIds.length === 0 ? config.allowedRoleId : undefined);
  if (role) return { content: `<@&${role}>`, allowed: { parse: [], roles: [role] } };
  if (config.allowedUserIds.length === 0) return null;
  return {
    content: config.allowedUserIds.map((id) => `<@${id}>`).join(" "),
    allowed: { parse: [], users: [...config.allowedUserIds] },
  };
}

/**
 * The nonce a post is created with (`enforce_nonce`): derived from what it is, so a retry after
 * a lost answer gets the message Discord already stored instead of a second one.
 */
export function alertNonce(alertId: number): string {
  return `tw-a${alertId}`;
}

export function approvalNonce(approvalId: string): string {
  return `tw-p${approvalId}`;
}

/**
 * The channel post for one alert: an embed coloured by severity. An urgent one pings, and its
 * content names the alert ("@trader LIVE: Gateway disconnected"), since a phone notification
 * shows the content and not the embed; every other post is sent without a notification.
 * `text` replaces the shared wording where Discord can say it better (mentions).
 */
export function alertPost(
  item: OutboxItem,
  mode: Mode,
  mentions: Mentions | null,
  text: string = describeAlert(item.alert).text,
  nonce: string = alertNonce(item.id),
): RESTPostAPIChannelMessageJSONBody {
  const { title } = describeAlert(item.alert);
  const embed = withMode(
    {
      title,
      description: text,
      color: SEVERITY_COLOUR[item.severity],
      // The symbol says the consequence (✓ worked, ✗ failed, ▼ money lost, ...): a loss never wears a check mark.
      footer: { text: `${styleOf(item.alert).symbol} ${item.severity} · alert #${item.id}` },
      timestamp: item.createdAt.toISOString(),
    },
    mode,
  );
  const urgent = item.severity === "urgent";
  const ping = urgent ? mentions : null;
  const headline = `${modeLabel(mode)}: ${title}`;
  return fitMessage({
    ...(urgent
      ? { content: ping ? `${ping.content} ${headline}` : headline }
      : { flags: MessageFlags.SuppressNotifications }),
    embeds: [embed],
    allowed_mentions: ping?.allowed ?? NO_MENTIONS,
    nonce,
    enforce_nonce: true,
  });
}
