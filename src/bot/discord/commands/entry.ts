import { SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { entryOptions } from "../../command-options.js";
import { entryPreviewText } from "../../views.js";
import { COLOURS } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";
import { approvalField, viewEmbed } from "./view-embed.js";

export const definition = new SlashCommandBuilder()
  .setName("entry")
  .setDescription("Preview today's entry (the strategy's, or with overrides) and ask for approval")
  .addNumberOption((o) =>
    o.setName("strike").setDescription("Strike instead of the ~0.15 delta one, e.g. 625"),
  )
  .addStringOption((o) => o.setName("expiry").setDescription("Expiry as YYYYMMDD instead of ~85 days out"))
  .addIntegerOption((o) => o.setName("quantity").setDescription("Contracts to sell (1-100)"))
  .addNumberOption((o) =>
    o.setName("limit").setDescription("Limit price in dollars instead of the mid, e.g. 6.10"),
  )
  .addBooleanOption((o) =>
    o.setName("ladder").setDescription("false: keep the limit fixed (default: step it toward the bid)"),
  )
  .addBooleanOption((o) =>
    o.setName("confirm").setDescription("true: yes, a quantity above the max or a limit far from the mid"),
  )
  .toJSON();

export const options = entryOptions;
export const readOnly = false;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const { preview, approval, refused } = await ctx.ops.trade.requestEntry(ctx.actor, ctx.options);
  if (refused !== null) {
    return {
      embeds: [
        viewEmbed(
          `Entry NOT requested: SELL ${preview.quantity} ${preview.label}`,
          `${refused}\n\n${entryPreviewText(preview)}`,
          COLOURS.amber,
        ),
      ],
    };
  }
  const embed = viewEmbed(
    `Entry preview: SELL ${preview.quantity} ${preview.label}`,
    entryPreviewText(preview),
    COLOURS.blue,
  );
  return { embeds: [{ ...embed, fields: [approvalField(approval)] }] };
}
