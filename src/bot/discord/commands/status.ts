import { type APIEmbed, type APIEmbedField, SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { noOptions } from "../../command-options.js";
import { duration } from "../../format.js";
import type { StatusView } from "../../ops.js";
import { deliveryLine, exitCoverageText } from "../../status-text.js";
import { actorLabel, STATE_COLOUR, traderTime } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";

export const definition = new SlashCommandBuilder()
  .setName("status")
  .setDescription("Gateway connection, heartbeat, data freshness and positions")
  .toJSON();

export const options = noOptions;
export const readOnly = true;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const view = await ctx.ops.status();
  return { embeds: [statusEmbed(view)] };
}

/** The StatusView as an embed: the same facts as the console's `/status`. */
export function statusEmbed(v: StatusView): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: "Gateway", value: `${v.endpoint}, client id ${v.clientId}`, inline: true },
    { name: "Server version", value: String(v.serverVersion ?? "unknown"), inline: true },
    { name: "Account", value: v.account ?? "unknown", inline: true },
    { name: "Heartbeat", value: heartbeat(v), inline: true },
    { name: "Data age", value: dataAges(v), inline: true },
    {
      name: "Positions",
      value:
        `${v.brokerPositions ?? "unknown"} at the broker, ${v.storedOpenPositions} open in the journal\n` +
        `open orders: ${v.brokerOpenOrders ?? "unknown"}`,
      inline: true,
    },
  ];
  if (v.schedule) fields.push(...scheduleFields(v.schedule));
  if (v.netLiquidation !== null) fields.push({ name: "Net liquidation", value: `${v.netLiquidation} USD` });
  if (v.brokenFarms.length > 0) fields.push({ name: "Broken farms", value: v.brokenFarms.join(", ") });
  if (!v.alertsDelivering) fields.push({ name: "Alerts NOT DELIVERING", value: deliveryLine(v) });
  else if (v.undeliveredAlerts > 0)
    fields.push({ name: "Alerts waiting for delivery", value: String(v.undeliveredAlerts) });
  return {
    title: `${v.state.toUpperCase()} for ${duration(v.forMs)}`,
    description: `${v.reason} (since ${traderTime(v.since)})`,
    color: STATE_COLOUR[v.state],
    fields,
  };
}

function heartbeat(v: StatusView): string {
  if (v.lastHeartbeatRttMs === null) return "no reply yet";
  return `${v.lastHeartbeatRttMs} ms round trip, ${duration(v.lastHeartbeatAgoMs)} ago`;
}

function dataAges(v: StatusView): string {
  return (Object.keys(v.cacheAgesMs) as Array<keyof StatusView["cacheAgesMs"]>)
    .map((part) => {
      const age = v.cacheAgesMs[part];
      const stale = v.stale.includes(part) ? " **STALE**" : "";
      return `${part}: ${age === null ? "unknown" : duration(age)}${stale}`;
    })
    .join("\n");
}

function scheduleFields(s: NonNullable<StatusView["schedule"]>): APIEmbedField[] {
  const today = s.today
    ? `today ${s.today.status}${s.today.reason ? ` (${s.today.reason})` : ""}`
    : "today not run yet";
  const exits = exitCoverageText(s.uncoveredShorts);
  return [
    {
      name: "Schedule",
      value: `${s.paused ? `**PAUSED** by ${actorLabel(s.pausedBy)}` : "running"}; next entry ${s.nextEntry ? traderTime(s.nextEntry) : "unknown"}; ${today}`,
    },
    { name: "Exits", value: exits.startsWith("MISSING") ? `**${exits}**` : exits, inline: true },
    { name: "Approvals waiting", value: String(s.pendingApprovals), inline: true },
  ];
}
