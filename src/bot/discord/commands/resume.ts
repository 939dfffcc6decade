import { SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { noOptions } from "../../command-options.js";
import { COLOURS } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";
import { viewEmbed } from "./view-embed.js";

export const definition = new SlashCommandBuilder()
  .setName("resume")
  .setDescription("Resume the entry schedule after /pause")
  .toJSON();

export const options = noOptions;
export const readOnly = false;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const state = await ctx.ops.trade.resume(ctx.actor);
  const embed = state.changed
    ? viewEmbed("Schedule resumed", "The next scheduled entry runs as planned (see /status).", COLOURS.green)
    : viewEmbed("Schedule was not paused", "Nothing changed.", COLOURS.blue);
  return { embeds: [embed] };
}
