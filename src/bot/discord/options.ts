import { ApplicationCommandOptionType, type CommandInteractionOption } from "discord.js";
import type { z } from "zod";
import { explainOptions } from "../command-options.js";
import { LIMITS, truncate } from "./limits.js";

/** The options as `{ name: value }`; a subcommand (group) becomes `subcommand` (`group`). */
export function optionValues(data: readonly CommandInteractionOption[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const option of data) {
    if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
      Object.assign(out, { group: option.name }, optionValues(option.options ?? []));
    } else if (option.type === ApplicationCommandOptionType.Subcommand) {
      Object.assign(out, { subcommand: option.name }, optionValues(option.options ?? []));
    } else {
      // User, role and channel options carry the id as their value.
      out[option.name] = option.value;
    }
  }
  return out;
}

/** An ephemeral answer that names each bad option and what it must be, in the console's words. */
export function validationText(command: string, error: z.ZodError): string {
  return truncate(
    `/${command} was not run: ${explainOptions(error)}. Fix the options and try again.`,
    LIMITS.content,
  );
}
