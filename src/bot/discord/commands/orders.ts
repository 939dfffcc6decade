import { SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { noOptions } from "../../command-options.js";
import { ordersText } from "../../views.js";
import { COLOURS } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";
import { plural, viewEmbed } from "./view-embed.js";

export const definition = new SlashCommandBuilder()
  .setName("orders")
  .setDescription("Open orders at the broker, ours (TP, SL, entry) and manual ones")
  .toJSON();

export const options = noOptions;
export const readOnly = true;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const view = await ctx.ops.trade.orders();
  const title = view.known
    ? `${plural(view.orders.length, "open order")} at the broker`
    : "Open orders unknown";
  return { embeds: [viewEmbed(title, ordersText(view), view.known ? COLOURS.blue : COLOURS.amber)] };
}
