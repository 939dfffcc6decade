import { describe, expect, it } from "vitest";
import { runConsoleCommand } from "../../src/bot/console/console-commands.js";
import type { Ops } from "../../src/bot/ops.js";

/** Only what these commands reach; a command that should not reach the bot fails loudly here. */
const ops = {
  trade: {
    pause: async () => ({ changed: true, paused: true }),
  },
} as unknown as Ops;

describe("console commands in words a trader acts on", () => {
  it.each([
    [
      "/trades with a word for days",
      "trades",
      ["days:seven"],
      "/trades: days must be a whole number of days, e.g. days:7",
    ],
    [
      "/entry 625 without the option name",
      "entry",
      ["625"],
      '/entry: "625" needs its option name: strike:625 (options: strike:625 expiry:20260430 quantity:1 limit:6.10 ladder:false confirm:true)',
    ],
    [
      "/entry with a bare date",
      "entry",
      ["20260430"],
      '/entry: "20260430" needs its option name: expiry:20260430 (options: strike:625 expiry:20260430 quantity:1 limit:6.10 ladder:false confirm:true)',
    ],
    [
      "/entry with a word for the strike",
      "entry",
      ["strike:abc"],
      "/entry: strike must be a strike, e.g. strike:625",
    ],
    ["/status with something after it", "status", ["now"], "/status takes no options; type /status alone."],
    ["an unknown command", "statsu", [], 'Unknown command "statsu". Type /help for the list.'],
  ])("%s", async (_name, command, args, text) => {
    const reply = await runConsoleCommand(ops, command, args);
    expect(reply).toMatchObject({ ok: false, text });
    expect(reply.text).not.toMatch(/Invalid input|expected number|received/);
  });

  it("commands are case-insensitive: /PAUSE is /pause", async () => {
    expect(await runConsoleCommand(ops, "PAUSE", [])).toMatchObject({
      ok: true,
      text: "Schedule paused: no scheduled entry until /resume.",
    });
  });
});
