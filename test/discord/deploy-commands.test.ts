import { afterEach, describe, expect, it } from "vitest";
import { builtinCommands } from "../../src/bot/discord/commands/index.js";
import { deployCommands } from "../../src/bot/discord/deploy-commands.js";
import { registrationBody } from "../../src/bot/discord/registration.js";
import { FakeDiscord } from "../support/fake-discord/index.js";
import { withTestCommands } from "./test-commands.js";

describe("deploy-commands", () => {
  let fake: FakeDiscord;
  afterEach(() => fake?.close());

  it("registers every command of the registry with one bulk PUT to the guild", async () => {
    fake = await FakeDiscord.start();
    const { app, guild } = fake.ids;
    const config = { token: fake.token, appId: app, guildId: guild, apiUrl: fake.apiUrl };

    const names = await deployCommands(config, withTestCommands);

    const puts = fake.requests.filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(1);
    expect(puts[0]?.path).toBe(`/applications/${app}/guilds/${guild}/commands`);
    expect(puts[0]?.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(puts[0]?.body).toEqual(withTestCommands.map(registrationBody));
    expect(names).toEqual(withTestCommands.map((c) => c.definition.name));
    expect(names).toEqual(expect.arrayContaining(["status", "entry", "approvals", "act", "broken"]));
    expect(fake.registeredCommands.map((c) => c.name)).toEqual(names);
  });

  it("registers the built-in commands by default", async () => {
    fake = await FakeDiscord.start();
    const { app, guild } = fake.ids;
    await deployCommands({ token: fake.token, appId: app, guildId: guild, apiUrl: fake.apiUrl });
    expect(fake.registeredCommands.map((c) => c.name)).toEqual(builtinCommands.map((c) => c.definition.name));
    expect(fake.registeredCommands[0]).toMatchObject({ name: "status", description: expect.any(String) });
  });

  it("hides every command from everyone but administrators until a role is granted it", async () => {
    fake = await FakeDiscord.start();
    const { app, guild } = fake.ids;
    await deployCommands({ token: fake.token, appId: app, guildId: guild, apiUrl: fake.apiUrl });
    for (const c of fake.registeredCommands) expect(c.default_member_permissions).toBe("0");
  });

  it("registers the option ranges Discord's client enforces", async () => {
    fake = await FakeDiscord.start();
    const { app, guild } = fake.ids;
    await deployCommands({ token: fake.token, appId: app, guildId: guild, apiUrl: fake.apiUrl });
    const entry = fake.registeredCommands.find((c) => c.name === "entry");
    expect(entry?.options).toEqual([
      expect.objectContaining({ name: "strike", min_value: 0.01, max_value: 100_000 }),
      expect.objectContaining({ name: "expiry", min_length: 8, max_length: 8 }),
      expect.objectContaining({ name: "quantity", min_value: 1, max_value: 100 }),
      expect.objectContaining({ name: "limit", min_value: 0.01, max_value: 10_000 }),
      expect.objectContaining({ name: "ladder", type: 5 }),
      expect.objectContaining({ name: "confirm", type: 5 }),
    ]);
  });
});

/** Every value just inside and just outside each registered bound, per option. */
function probes(o: Record<string, unknown>): Array<[value: number | string, inRange: boolean]> {
  const out: Array<[number | string, boolean]> = [];
  const step = o.type === 4 ? 1 : 0.01;
  if (typeof o.min_value === "number")
    out.push([o.min_value, true], [+(o.min_value - step).toFixed(2), false]);
  if (typeof o.max_value === "number")
    out.push([o.max_value, true], [+(o.max_value + step).toFixed(2), false]);
  const digits = (n: number) => "2".repeat(n);
  if (typeof o.min_length === "number") out.push([digits(o.min_length), true]);
  if (typeof o.min_length === "number" && o.min_length > 0) out.push([digits(o.min_length - 1), false]);
  if (typeof o.max_length === "number")
    out.push([digits(o.max_length), true], [digits(o.max_length + 1), false]);
  return out;
}

describe("registered option ranges and the zod schemas", () => {
  it.each(builtinCommands.map((c) => [c.definition.name, c] as const))(
    "/%s: Discord's client and the bot's validation accept and refuse the same bounds",
    (_name, command) => {
      for (const option of registrationBody(command).options ?? []) {
        const o = option as unknown as Record<string, unknown>;
        for (const [value, inRange] of probes(o)) {
          const parsed = command.options.safeParse({ [option.name]: value });
          expect({ option: option.name, value, accepted: parsed.success }).toEqual({
            option: option.name,
            value,
            accepted: inRange,
          });
        }
      }
    },
  );

  it("every bounded option in a schema has its range registered", () => {
    const entry = builtinCommands.find((c) => c.definition.name === "entry");
    const reattach = builtinCommands.find((c) => c.definition.name === "reattach");
    const trades = builtinCommands.find((c) => c.definition.name === "trades");
    const option = (c: typeof entry, name: string) =>
      (c && registrationBody(c).options?.find((o) => o.name === name)) as Record<string, unknown> | undefined;
    expect(option(reattach, "position")).toMatchObject({ min_value: 1 });
    expect(option(reattach, "position")?.max_value).toBeUndefined();
    expect(option(trades, "days")).toMatchObject({ min_value: 1, max_value: 366 });
    expect(option(entry, "expiry")).toMatchObject({ min_length: 8, max_length: 8 });
  });
});

describe("the built-in command definitions", () => {
  it("fit Discord's rules for names and descriptions, options included", () => {
    const all = builtinCommands.flatMap((c) => [c.definition, ...(c.definition.options ?? [])]);
    for (const { name, description } of all) {
      expect(name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(description.length).toBeGreaterThan(0);
      expect(description.length).toBeLessThanOrEqual(100);
    }
    expect(builtinCommands.map((c) => c.definition.name)).toEqual([
      "status",
      "positions",
      "orders",
      "trades",
      "entry",
      "reattach",
      "reconcile",
      "pause",
      "resume",
      "approvals",
    ]);
  });

  it("are read-only only where they change nothing", () => {
    const readOnly = builtinCommands.filter((c) => c.readOnly).map((c) => c.definition.name);
    expect(readOnly).toEqual(["status", "positions", "orders", "trades"]);
  });
});
