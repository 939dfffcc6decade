import { z } from "zod";
import type { CommandModule } from "../../src/bot/discord/commands/index.js";
import { builtinCommands } from "../../src/bot/discord/commands/index.js";

/** A stand-in trading action that touches no broker. */
export const actForTest: CommandModule<z.ZodObject<{ strike: z.ZodOptional<z.ZodNumber> }>> = {
  definition: {
    name: "act",
    description: "Test-only trading action",
    options: [{ name: "strike", description: "Strike", type: 4, required: false }],
  },
  options: z.object({ strike: z.number().int().min(100, "must be at least 100").optional() }),
  readOnly: false,
  handle: async (ctx) => ({
    content: `act by ${ctx.actor} at ${ctx.options.strike ?? "the strategy's strike"}`,
  }),
};

/** A read-only command whose handler fails, like a database error. */
export const brokenForTest: CommandModule = {
  definition: { name: "broken", description: "Test-only failing command" },
  options: z.object({}),
  readOnly: true,
  handle: async () => {
    throw new Error("database is locked");
  },
};

export const withTestCommands = [...builtinCommands, actForTest, brokenForTest];
