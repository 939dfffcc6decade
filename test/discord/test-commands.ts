import { z } from "zod";
import type { CommandModule } from "../../src/bot/discord/commands/index.js";
import { builtinCommands } from "../../src/bot/discord/commands/index.js";

/** A stand-in trading action: the shape /entry will have, without touching a broker. */
export const entryForTest: CommandModule<z.ZodObject<{ strike: z.ZodOptional<z.ZodNumber> }>> = {
  definition: {
    name: "entry",
    description: "Test-only trading action",
    options: [{ name: "strike", description: "Strike", type: 4, required: false }],
  },
  options: z.object({ strike: z.number().int().min(100, "use a strike of at least 100").optional() }),
  readOnly: false,
  handle: async (ctx) => ({
    content: `entry by ${ctx.actor} at ${ctx.options.strike ?? "the strategy's strike"}`,
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

export const withTestCommands = [...builtinCommands, entryForTest, brokenForTest];
