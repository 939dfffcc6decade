import { type APIEmbed, SlashCommandBuilder } from "discord.js";
import type { z } from "zod";
import { describeApprovalAlert } from "../../../trading/approvals/approval-alerts.js";
import type { PendingApproval } from "../../../trading/approvals/approval-record.js";
import { noOptions } from "../../command-options.js";
import { approvalButtons } from "../buttons.js";
import { COLOURS } from "../style.js";
import type { CommandContext, CommandReply } from "./types.js";
import { viewEmbed } from "./view-embed.js";

export const definition = new SlashCommandBuilder()
  .setName("approvals")
  .setDescription("Approvals waiting for a decision, with their buttons")
  .toJSON();

export const options = noOptions;
export const readOnly = false;
// The buttons are for the one who asked; the channel already has each approval's post.
export const ephemeral = true;

/** A message holds at most five rows of buttons. */
const MAX_WITH_BUTTONS = 5;

export async function handle(ctx: CommandContext<z.output<typeof options>>): Promise<CommandReply> {
  const pending = await ctx.ops.trade.approvals();
  if (pending.length === 0) {
    return { embeds: [viewEmbed("No approvals waiting", "Nothing waits for a decision.", COLOURS.green)] };
  }
  const shown = pending.slice(0, MAX_WITH_BUTTONS);
  const more = pending.slice(MAX_WITH_BUTTONS).map((a) => a.id);
  return {
    ...(more.length > 0
      ? { content: `${more.length} more waiting (${more.join(", ")}): decide these first.` }
      : {}),
    // Embed i goes with button row i: a decision edits that embed and disables that row.
    embeds: shown.map(approvalEmbed),
    components: shown.map((a) => approvalButtons(a.id, a.nonce, true)),
  };
}

function approvalEmbed(a: PendingApproval): APIEmbed {
  const { title, text } = describeApprovalAlert({ type: "approval-requested", approvalId: a.id, ...a });
  return { title, description: text, color: COLOURS.amber };
}
