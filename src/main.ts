import { startApp } from "./app.js";
import { DiscordFatalError } from "./bot/discord/index.js";
import { systemClock } from "./clock.js";
import { describeConfig, loadConfig, readEnvFile } from "./config.js";
import { createLogger } from "./log.js";

const EXIT_CONFIG = 2;

async function main(): Promise<void> {
  readEnvFile();
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(
      `Configuration problems (fix these and start again):\n${loaded.problems.map((p) => `  ${p}\n`).join("")}`,
    );
    process.exit(EXIT_CONFIG);
  }
  const config = loaded.config;
  // Console chat owns stdout; logs go to stderr. A demo is quiet unless LOG_LEVEL asks otherwise.
  const level = config.mode === "demo" && !process.env.LOG_LEVEL ? "warn" : config.logLevel;
  const logger = createLogger(level, { destination: 2, pretty: Boolean(process.stderr.isTTY) });
  logger.info({ config: describeConfig(config) }, "starting");

  if (config.mode === "demo" && !config.consoleJson) {
    process.stdout.write(
      [
        "──────────────────────────────────────────────────────────────",
        " tradewarden DEMO: a simulated IB Gateway runs in this process.",
        " No real broker, no Discord, no money. Type /help.",
        "──────────────────────────────────────────────────────────────",
        "",
      ].join("\n"),
    );
  }

  const app = await startApp(config, {
    logger,
    clock: systemClock,
    io: { input: process.stdin, output: process.stdout },
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    await app.stop();
    process.exit(0);
  };
  void app.fatal.then(async (err) => {
    logger.fatal({ err: err.message }, "chat platform refused the bot");
    process.stderr.write(`${err.message}\n`);
    await app.stop();
    process.exit(EXIT_CONFIG);
  });
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  process.stderr.write(`tradewarden failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  // Discord refusing the token or the intents is a setting to fix, like a bad variable.
  process.exit(err instanceof DiscordFatalError ? EXIT_CONFIG : 1);
});
