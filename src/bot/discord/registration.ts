import {
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { z } from "zod";
import type { CommandModule } from "./commands/types.js";

/** Hidden from everyone but administrators, who grant it to a role in Server Settings > Integrations. */
export const NOBODY_BY_DEFAULT = "0";

interface Bounds {
  type?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
}

/**
 * What `npm run deploy-commands` registers for a command: its definition, hidden by default
 * (`default_member_permissions: "0"`), and each option's range taken from the zod schema that
 * validates it, so Discord's client refuses out-of-range input before it reaches the bot and
 * the two can never disagree.
 */
export function registrationBody(command: CommandModule): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const schema = z.toJSONSchema(command.options, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, Bounds>;
  };
  const properties = schema.properties ?? {};
  const name = command.definition.name;
  return {
    ...command.definition,
    default_member_permissions: NOBODY_BY_DEFAULT,
    ...(command.definition.options
      ? { options: command.definition.options.map((o) => withRange(name, o, properties[o.name])) }
      : {}),
  };
}

function withRange(
  command: string,
  option: APIApplicationCommandOption,
  bounds: Bounds | undefined,
): APIApplicationCommandOption {
  if (!bounds) return option;
  const where = `/${command} ${option.name}`;
  if (bounds.exclusiveMinimum !== undefined || bounds.exclusiveMaximum !== undefined) {
    throw new Error(`${where}: Discord registers inclusive ranges only; use .min()/.max() in its zod schema`);
  }
  switch (option.type) {
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const integer = option.type === ApplicationCommandOptionType.Integer;
      if (integer !== (bounds.type === "integer")) {
        throw new Error(
          `${where}: registered as ${integer ? "INTEGER" : "NUMBER"} but its schema is a ${bounds.type}`,
        );
      }
      return {
        ...option,
        ...(finite(bounds.minimum) ? { min_value: bounds.minimum } : {}),
        ...(finite(bounds.maximum) ? { max_value: bounds.maximum } : {}),
      };
    }
    case ApplicationCommandOptionType.String:
      if (bounds.type !== "string")
        throw new Error(`${where}: registered as STRING but its schema is a ${bounds.type}`);
      return {
        ...option,
        ...(bounds.minLength !== undefined ? { min_length: bounds.minLength } : {}),
        ...(bounds.maxLength !== undefined ? { max_length: bounds.maxLength } : {}),
      };
    default:
      return option;
  }
}

/** zod's int() says ±MAX_SAFE_INTEGER when no bound was set: that is no bound. */
function finite(n: number | undefined): n is number {
  return n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER;
}
