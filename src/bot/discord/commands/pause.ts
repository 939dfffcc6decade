import { SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { noOptions } from "../../command-options.js";
import { actorLabel, COLOURS, traderTime } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";
import { viewEmbed } from "./view-embed.js";

export const definition = new SlashCommandBuilder()
  .setName("pause")
  .setDescription("Pause the entry schedule: no scheduled entry until /resume")
  .toJSON();

export const options = noOptions;
export const readOnly = false;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const state = await ctx.ops.trade.pause(ctx.actor);
  const embed = state.changed
    ? viewEmbed("Schedule paused", "No scheduled entry until /resume. Exits stay live.", COLOURS.amber)
    : viewEmbed(
        "Schedule already paused",
        `Paused by ${actorLabel(state.by)}${state.since ? ` since ${traderTime(state.since)}` : ""}.`,
        COLOURS.amber,
      );
  return { embeds: [embed] };
}
