import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinCommands, type CommandModule } from "../../src/bot/discord/commands/index.js";
import { type DiscordWorld, startDiscordWorld } from "../support/discord-world.js";
import type { OptionValue } from "../support/fake-discord/interactions.js";

let d: DiscordWorld;
beforeAll(async () => {
  d = await startDiscordWorld();
  // A position without exits, so /reattach has something to ask about.
  await d.w.adoptSeeded(625);
});
afterAll(async () => {
  await d?.close();
});

const STRING = 3;
const INTEGER = 4;

/** Values Discord could deliver for an option of that type, near and past the edges. */
function valueFor(type: number): fc.Arbitrary<OptionValue> {
  if (type === STRING) {
    return fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("20260417", "2026-04-30", "", "99999999"));
  }
  if (type === INTEGER) {
    return fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(0, 1, 7, 100, 101, 366, 367, 625));
  }
  return fc.oneof(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.constantFrom(0.01, 6.1, 6.123, 624.5, 625, 10_001),
  );
}

/** Values a trader would type, so that many runs reach the broker and the journal. */
const PLAUSIBLE: Record<string, fc.Arbitrary<OptionValue>> = {
  days: fc.integer({ min: 1, max: 366 }),
  strike: fc.constantFrom(600, 620, 624, 625, 630, 622.5),
  expiry: fc.constant("20260417"),
  quantity: fc.integer({ min: 1, max: 3 }),
  limit: fc.integer({ min: 100, max: 1500 }).map((cents) => cents / 100),
  position: fc.integer({ min: 1, max: 3 }),
};

/** Each option left out, plausible, at an edge, or of the wrong type; sometimes one it lacks. */
function optionsFor(command: CommandModule): fc.Arbitrary<Record<string, OptionValue>> {
  const options = [...(command.definition.options ?? []), { name: "bogus", type: INTEGER }];
  const parts = options.map((o) => {
    const absent = o.name === "bogus" ? 8 : 3;
    return fc.oneof(
      { weight: absent, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: PLAUSIBLE[o.name] ?? valueFor(o.type) },
      { weight: 2, arbitrary: valueFor(o.type) },
      { weight: 1, arbitrary: valueFor(STRING) },
    );
  });
  return fc
    .tuple(...parts)
    .map((values) =>
      Object.fromEntries(
        values.flatMap((v, i) => (v === undefined ? [] : [[options[i]?.name ?? "bogus", v] as const])),
      ),
    );
}

/** Valid options the broker or the journal can still refuse: an unlisted strike, an unknown position. */
const MAY_REFUSE = new Set(["entry", "reattach"]);

const ordersAtBroker = () => d.w.sim.state().orders.map((o) => o.orderRef);

describe("every command's options, fuzzed through the router", () => {
  it.each(builtinCommands.map((c) => [c.definition.name, c] as const))(
    "/%s answers with an ephemeral error or its answer, and never sends an order",
    async (name, command) => {
      const before = ordersAtBroker();
      await fc.assert(
        fc.asyncProperty(optionsFor(command), async (options) => {
          const answer = await d.command(name, options).answer();
          if (!command.options.safeParse(options).success) {
            expect(answer).toMatchObject({ callbackType: 4, ephemeral: true });
            expect(answer.content).toMatch(
              new RegExp(`^/${name} was not run: .+\\. Fix the options and try again\\.$`),
            );
          } else if (MAY_REFUSE.has(name) && answer.embeds.length === 0) {
            expect(answer).toMatchObject({
              ephemeral: true,
              content: expect.stringMatching(`^/${name} failed: `),
            });
          } else {
            expect(answer.ephemeral).toBe(command.ephemeral ?? false);
            expect(answer.embeds[0]?.author?.name).toBe("PAPER");
          }
          expect(ordersAtBroker()).toEqual(before);
        }),
        { numRuns: name === "entry" ? 25 : 15 },
      );
      expect(d.logs.filter((l) => l.msg === "discord: could not answer an interaction")).toEqual([]);
    },
  );
});
