import type { APIAllowedMentions, RESTPostAPIChannelMessageJSONBody } from "discord.js";
import type { DiscordConfig } from "../../config.js";
import type { OutboxItem } from "../alert-dispatcher.js";
import { describeAlert, type Mode } from "../format.js";
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
 * The channel post for one alert: an embed coloured by severity, pinging people only when
 * urgent. `text` replaces the shared wording where Discord can say it better (mentions).
 */
export function alertPost(
  item: OutboxItem,
  mode: Mode,
  mentions: Mentions | null,
  text: string = describeAlert(item.alert).text,
): RESTPostAPIChannelMessageJSONBody {
  const { title } = describeAlert(item.alert);
  const embed = withMode(
    {
      title,
      description: text,
      color: SEVERITY_COLOUR[item.severity],
      footer: { text: `${item.severity} · alert #${item.id}` },
      timestamp: item.createdAt.toISOString(),
    },
    mode,
  );
  const ping = item.severity === "urgent" ? mentions : null;
  return fitMessage({
    ...(ping ? { content: ping.content } : {}),
    embeds: [embed],
    allowed_mentions: ping?.allowed ?? NO_MENTIONS,
  });
}
