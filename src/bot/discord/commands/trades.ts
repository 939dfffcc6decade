import { SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { tradesOptions } from "../../command-options.js";
import { tradesText } from "../../views.js";
import { COLOURS } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";
import { viewEmbed } from "./view-embed.js";

export const definition = new SlashCommandBuilder()
  .setName("trades")
  .setDescription("Closed trades and their P&L")
  .addIntegerOption((o) =>
    o.setName("days").setDescription("How many days back (1-366, default 7)").setMinValue(1).setMaxValue(366),
  )
  .toJSON();

export const options = tradesOptions;
export const readOnly = true;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const { days } = ctx.options;
  const list = await ctx.ops.trade.trades(days);
  const total = list.reduce((sum, t) => sum + t.pnl, 0);
  const colour = list.length === 0 ? COLOURS.blue : total >= 0 ? COLOURS.green : COLOURS.red;
  return { embeds: [viewEmbed(`Closed trades, last ${days} days`, tradesText(list, days), colour)] };
}
