import { afterEach, describe, expect, it } from "vitest";
import { builtinCommands } from "../../src/bot/discord/commands/index.js";
import { deployCommands } from "../../src/bot/discord/deploy-commands.js";
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
    expect(puts[0]?.body).toEqual(withTestCommands.map((c) => c.definition));
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
