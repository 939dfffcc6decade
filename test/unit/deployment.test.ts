import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ENV_NAMES, loadConfig } from "../../src/config.js";

const compose = parse(readFileSync("docker-compose.yml", "utf8"));
const dockerfile = readFileSync("Dockerfile", "utf8");

describe("docker-compose.yml", () => {
  it("runs the gateway with credentials and mode from .env, ports on loopback only", () => {
    const gw = compose.services["ib-gateway"];
    expect(gw.image).toMatch(/gnzsnz\/ib-gateway/);
    expect(gw.environment.TWS_USERID).toMatch(/\$\{TWS_USERID/);
    expect(gw.environment.TWS_PASSWORD).toMatch(/\$\{TWS_PASSWORD/);
    expect(gw.environment.TRADING_MODE).toMatch(/\$\{TRADING_MODE/);
    for (const port of gw.ports as string[]) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it("points the bot at the gateway's socat port, never the localhost-only direct ports", () => {
    const bot = compose.services.bot;
    const gw = compose.services["ib-gateway"];
    expect(bot.environment.IB_HOST).toBe("ib-gateway");
    // Unset in .env, the bot picks the socat port from the mode (paper 4004, live 4003).
    expect(bot.environment.IB_PORT).toBe(`\${IB_PORT:-}`);
    expect(bot.environment.TRADING_MODE).toBe(gw.environment.TRADING_MODE);
    expect(String(bot.environment.IB_PORT)).not.toMatch(/^(4001|4002)$/);
    expect(bot.depends_on).toContain("ib-gateway");
    for (const [mode, port] of [
      ["paper", 4004],
      ["live", 4003],
    ] as const) {
      const loaded = loadConfig({ TRADING_MODE: mode, IB_PORT: "", IB_HOST: "ib-gateway" });
      expect(loaded.ok && loaded.config.ib.port).toBe(port);
    }
  });

  it("gives the bot only the variables it reads: never the gateway's credentials", () => {
    const bot = compose.services.bot;
    expect(bot.env_file).toBeUndefined();
    const names = Object.keys(bot.environment);
    for (const name of names) expect(ENV_NAMES).toContain(name);
    expect(names).not.toContain("TWS_PASSWORD");
    expect(names).not.toContain("TWS_USERID");
    expect(names).not.toContain("DISCORD_API_URL");
    // Everything else a deployment sets in .env still reaches the bot.
    for (const name of [
      "DISCORD_TOKEN",
      "DISCORD_CHANNEL_ID",
      "DISCORD_ALERT_ROLE_ID",
      "ENTRY_CRON",
      "IB_ACCOUNT",
    ]) {
      expect(bot.environment[name]).toBe(`\${${name}:-}`);
    }
  });

  it("keeps the database on a named volume, restarts, and checks health", () => {
    const bot = compose.services.bot;
    expect(bot.restart).toBe("unless-stopped");
    const [volume, mount] = String(bot.volumes[0]).split(":");
    expect(compose.volumes).toHaveProperty(volume as string);
    expect(bot.environment.DB_PATH.startsWith(`${mount}/`)).toBe(true);
    expect(bot.healthcheck.test.join(" ")).toContain("/healthz");
    for (const port of bot.ports as string[]) expect(port).toMatch(/^127\.0\.0\.1:/);
  });
});

describe("Dockerfile", () => {
  it("builds in one stage and runs slim, as a non-root user, with a health check", () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/FROM node:20[^\n]*slim AS build/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
  });
});
