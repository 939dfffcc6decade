import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { startApp } from "./app.js";
import { DiscordFatalError } from "./bot/discord/index.js";
import { systemClock } from "./clock.js";
import { type Config, describeConfig, loadConfig } from "./config.js";
import { loadEnvFile, withEnvOrigin } from "./env-file.js";
import { createLogger } from "./log.js";
import { checkStartup, describeStartupFailure } from "./startup-check.js";

const EXIT_CONFIG = 2;
/** The configuration in force, to name the setting behind a failure of startApp. */
let lastConfig: Config | undefined;

async function main(): Promise<void> {
  const fresh = process.argv.includes("--fresh");
  const envFile = loadEnvFile();
  const loaded = loadConfig(process.env);
  const problems = [
    ...(envFile?.problems ?? []),
    ...(loaded.ok ? [] : loaded.problems.map((p) => withEnvOrigin(p, envFile))),
  ];
  if (!loaded.ok || problems.length > 0) stopWith("Configuration problems", problems);
  if (!loaded.ok) return;
  const config = loaded.config;
  lastConfig = config;
  // The console chat owns the terminal: its logs go to a file beside the journal, so that nothing but
  // posts and replies reaches the trader (and CONSOLE_JSON's stdout stays one JSON object per line).
  // Without the console (Discord, containers) they go to stderr.
  const logFile = config.chat === "console" ? join(dirname(config.dbPath), "tradewarden.log") : undefined;
  const level = config.mode === "demo" && !process.env.LOG_LEVEL ? "info" : config.logLevel;
  const logger = createLogger(level, {
    destination: logFile ?? 2,
    pretty: !logFile && Boolean(process.stderr.isTTY),
  });
  logger.info({ config: describeConfig(config) }, "starting");
  if (fresh) {
    if (config.mode !== "demo")
      stopWith("Start-up problems", [
        `--fresh only starts the demo afresh; TRADING_MODE=${config.mode} keeps its journal (${config.dbPath}). Remove --fresh.`,
      ]);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${config.dbPath}${suffix}`, { force: true });
  }
  const startup = await checkStartup(config);
  if (startup.length > 0) stopWith("Start-up problems", startup);

  if (config.mode === "demo" && !config.consoleJson) {
    process.stdout.write(
      [
        "──────────────────────────────────────────────────────────────",
        " tradewarden DEMO: a simulated IB Gateway runs in this process.",
        " No real broker, no Discord, no money. Type /help.",
        fresh
          ? ` Started afresh: the demo journal ${config.dbPath} was emptied.`
          : ` The demo keeps its journal in ${config.dbPath}; npm run demo:reset starts afresh.`,
        ...(logFile ? [` Logs: ${logFile}`] : []),
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

/** One line per problem, each naming its setting, and exit 2: nothing has started yet. */
function stopWith(title: string, problems: string[]): never {
  process.stderr.write(`${title} (fix these and start again):\n${problems.map((p) => `  ${p}\n`).join("")}`);
  process.exit(EXIT_CONFIG);
}

main().catch((err) => {
  const known = lastConfig ? describeStartupFailure(err, lastConfig) : undefined;
  if (known) stopWith("Start-up problems", [known]);
  process.stderr.write(`tradewarden failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  // Discord refusing the token or the intents is a setting to fix, like a bad variable.
  process.exit(err instanceof DiscordFatalError ? EXIT_CONFIG : 1);
});
