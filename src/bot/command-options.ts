import { z } from "zod";

/**
 * The options of the commands that take any, one zod schema each, shared by every chat adapter
 * so the console and Discord accept and refuse exactly the same input.
 */
const money = z
  .number({ error: "must be a price in dollars, e.g. 6.10" })
  .min(0.01, "must be at least 0.01")
  .max(10_000, "is implausibly high")
  .refine((x) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6, "must be in whole cents, e.g. 6.10");

export const entryOptions = z
  .object({
    // Bounds are inclusive: Discord registers them as min_value/max_value (see registration.ts).
    strike: z
      .number({ error: "must be a strike, e.g. 625" })
      .min(0.01, "must be above 0")
      .max(100_000, "is implausibly high")
      .optional(),
    expiry: z
      .string()
      .length(8, { error: "must be a date as YYYYMMDD, e.g. 20260430", abort: true })
      .regex(/^\d{8}$/, "must be a date as YYYYMMDD, e.g. 20260430")
      .optional(),
    quantity: z
      .number({ error: "must be a whole number of contracts, e.g. 1" })
      .int("must be a whole number of contracts")
      .min(1, "must be at least 1")
      .max(100, "is at most 100")
      .optional(),
    limit: money.optional(),
    ladder: z.boolean({ error: "must be true or false, e.g. ladder:false" }).optional(),
    confirm: z.boolean({ error: "must be true or false, e.g. confirm:true" }).optional(),
  })
  .strict();

export const tradesOptions = z
  .object({
    days: z
      .number()
      .int("must be a whole number of days")
      .min(1, "must be at least 1")
      .max(366, "is at most 366")
      .default(7),
  })
  .strict();

export const reattachOptions = z
  .object({
    position: z
      .number()
      .int("must be a position id, e.g. 18")
      .min(1, "must be a position id, e.g. 18")
      .optional(),
  })
  .strict();

export const noOptions = z.object({}).strict();

/** What each option looks like, for messages that show how to write it. */
export const OPTION_EXAMPLES: Record<string, string> = {
  strike: "625",
  expiry: "20260430",
  quantity: "1",
  limit: "6.10",
  days: "7",
  position: "18",
  ladder: "false",
  confirm: "true",
};

const KIND: Record<string, string> = {
  strike: "a strike",
  expiry: "a date as YYYYMMDD",
  quantity: "a whole number of contracts",
  limit: "a price in dollars",
  days: "a whole number of days",
  position: "a position id",
  ladder: "true or false",
  confirm: "true or false",
};

/** "strike must be above 0; limit must be in whole cents, e.g. 6.10; days must be a whole number of days, e.g. days:7" */
export function explainOptions(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const name = i.path.join(".");
      if (i.code === "unrecognized_keys") return `unknown option ${i.keys.join(", ")}`;
      // zod's own words ("Invalid input: expected number, received string") are not for a trader.
      if (i.code === "invalid_type" || /^Invalid input/.test(i.message)) {
        const example = OPTION_EXAMPLES[name];
        return `${name} must be ${KIND[name] ?? "a value of another kind"}${example ? `, e.g. ${name}:${example}` : ""}`;
      }
      return name ? `${name} ${i.message}` : i.message;
    })
    .join("; ");
}

/** The option a bare value most likely meant, among `options`: "625" is a strike, "20260430" an expiry. */
export function guessOption(value: string, options: readonly string[]): string | undefined {
  const candidates = /^\d{8}$/.test(value)
    ? ["expiry"]
    : /^\d+\.\d+$/.test(value)
      ? ["limit", "strike"]
      : /^\d+$/.test(value)
        ? ["strike", "position", "days", "quantity"]
        : [];
  return candidates.find((c) => options.includes(c));
}
