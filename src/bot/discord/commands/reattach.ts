import { SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { reattachOptions } from "../../command-options.js";
import { reattachText } from "../../views.js";
import { COLOURS } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";
import { approvalField, plural, viewEmbed } from "./view-embed.js";

export const definition = new SlashCommandBuilder()
  .setName("reattach")
  .setDescription("Re-attach missing TP and SL exits (every position, or one) after approval")
  .addIntegerOption((o) =>
    o.setName("position").setDescription("Only this position id (see /positions)").setMinValue(1),
  )
  .toJSON();

export const options = reattachOptions;
export const readOnly = false;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const { candidates, approval } = await ctx.ops.trade.requestReattach(ctx.actor, ctx.options.position);
  const text = reattachText(candidates);
  if (!approval) return { embeds: [viewEmbed("Nothing to re-attach", text, COLOURS.green)] };
  const embed = viewEmbed(`Re-attach exits: ${plural(candidates.length, "position")}`, text, COLOURS.amber);
  return { embeds: [{ ...embed, fields: [approvalField(approval)] }] };
}
