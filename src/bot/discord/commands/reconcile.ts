import { SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { noOptions } from "../../command-options.js";
import { reconcileText } from "../../views.js";
import { COLOURS } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";
import { plural, viewEmbed } from "./view-embed.js";

export const definition = new SlashCommandBuilder()
  .setName("reconcile")
  .setDescription("Compare the journal with the broker now: positions, exits, orders, executions")
  .toJSON();

export const options = noOptions;
export const readOnly = false;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const report = await ctx.ops.trade.reconcile();
  const problems = report.findings.length;
  const title = problems === 0 ? "Reconciled: all in order" : `Reconciled: ${plural(problems, "finding")}`;
  return {
    embeds: [viewEmbed(title, reconcileText(report), problems === 0 ? COLOURS.green : COLOURS.amber)],
  };
}
