import { SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { noOptions } from "../../command-options.js";
import { positionsText } from "../../views.js";
import { COLOURS } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";
import { plural, viewEmbed } from "./view-embed.js";

export const definition = new SlashCommandBuilder()
  .setName("positions")
  .setDescription("Open positions with their live TP and SL at the broker, mark and P&L")
  .toJSON();

export const options = noOptions;
export const readOnly = true;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const list = await ctx.ops.trade.positions();
  const unknown = list.some((p) => p.exitsUnknown);
  const uncovered = list.filter((p) => !p.exitsUnknown && (!p.tp || !p.sl)).length;
  const title =
    plural(list.length, "open position") +
    (unknown ? ", exits unknown" : uncovered > 0 ? `, ${uncovered} without a live TP and SL` : "");
  const colour = unknown ? COLOURS.amber : uncovered > 0 ? COLOURS.red : COLOURS.green;
  return { embeds: [viewEmbed(title, positionsText(list), colour)] };
}
