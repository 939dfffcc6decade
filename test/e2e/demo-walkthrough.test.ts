import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "../support/wait.js";

/**
 * The README's walk-through, typed into the real demo process: every line the trader reads is
 * checked for what would mislead (a stack frame, a time without its zone, UTC, a loss with a check mark).
 */
const TSX = join("node_modules", ".bin", "tsx");
let dir = "";
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

describe("the README's demo walk-through", () => {
  it("prints no line a trader would misread", async () => {
    dir = mkdtempSync(join(tmpdir(), "tw-walk-"));
    const proc = spawn(TSX, ["src/main.ts"], {
      env: { PATH: process.env.PATH ?? "", DB_PATH: join(dir, "tw.db"), HEALTH_PORT: "0" },
    });
    child = proc;
    let out = "";
    proc.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    const lines = () => out.split("\n");
    const typed = async (command: string, answered: RegExp) => {
      const before = out.length;
      proc.stdin.write(`${command}\n`);
      await waitUntil(() => answered.test(out.slice(before)), `the answer to ${command}`, 30_000);
    };

    await waitUntil(() => /Connected to the gateway/.test(out), "the connected post", 30_000);
    await typed("/status", /Connection: CONNECTED/);
    await typed("/help", /Commands:/);
    await typed("/positions", /#\d+ /);
    await typed("/orders", /tw:/);
    await typed("/trades", /closed trades|Total over/);
    await typed("/approvals", /\[DEMO\]/);
    await typed("/STATUS", /Connection: /);
    await typed("/entry 625", /needs its option name: strike:625/);
    await typed("/trades days:seven", /days must be a whole number of days, e.g. days:7/);
    await typed("/reattach position:999", /\[DEMO\]/);
    await typed("approve nosuchid", /\[DEMO\]/);
    await typed("sim price SPY 600", /\[DEMO\]/);
    await typed("sim drop", /Gateway disconnected/);
    await typed("/status", /Connection: /);
    process.env.TW_WALK_DUMP && process.stderr.write(out);
    proc.kill("SIGINT");
    await new Promise((done) => proc.on("exit", done));

    const text = lines().filter((l) => l.trim() !== "");
    expect(text.length).toBeGreaterThan(20);
    for (const line of text) {
      expect(line, "a stack frame").not.toMatch(/^\s+at /);
      expect(line, "UTC or an ISO time").not.toMatch(/UTC|\d{4}-\d\d-\d\dT\d\d:\d\d/);
      // A clock time always says its zone: "09:35 ET".
      expect(line, "a time without its zone").not.toMatch(/\b\d\d:\d\d(?!:)(?! ?ET)\b/);
      if (/P&L -\$/.test(line)) expect(line, "a loss with a check mark").not.toMatch(/✓|✅/);
    }
    expect(out).toMatch(/tradewarden DEMO/);
    expect(out).not.toMatch(/"level":|"msg":/);
  });
});
