/** `npm run sim -- --port 4004 --control-port 4010`: the simulator with the journal seed and its control API. */
import { parseArgs } from "node:util";
import { createLogger } from "../log.js";
import { OPTIONS_DATA, type OptionsData } from "./context.js";
import { startControlServer } from "./control-http.js";
import { EXEC_TIME_FORMATS, type ExecTimeFormat } from "./eastern.js";
import { IbSimulator } from "./server.js";
import { MIN_CLIENT_VERSION, SERVER_VERSION } from "./versions.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4004" },
    "control-port": { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    "client-id": { type: "string", default: "7" },
    seed: { type: "string", default: "journal" },
    /** Comma list, e.g. DU1234567,DU7654321 (the first holds the seed). */
    accounts: { type: "string" },
    "exec-time-format": { type: "string", default: "zone" },
    /** The newest server version to negotiate, e.g. 187 to play the stable gateway channel. */
    "server-version": { type: "string", default: String(SERVER_VERSION) },
    /** live | delayed | none: the options market data the account has. */
    "options-data": { type: "string", default: "live" },
    /** e.g. 300-1500: a random delay (ms) per snapshot and per stream's first ticks. */
    "quote-latency-ms": { type: "string", default: "0" },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const serverVersion = Number(values["server-version"]);
if (!Number.isInteger(serverVersion) || serverVersion < MIN_CLIENT_VERSION) {
  fail(
    `--server-version must be an integer from ${MIN_CLIENT_VERSION} up, got "${values["server-version"]}"`,
  );
}
const optionsData = values["options-data"] as OptionsData;
if (!OPTIONS_DATA.includes(optionsData)) fail(`--options-data must be one of ${OPTIONS_DATA.join(", ")}`);
const latency = /^(\d+)(?:-(\d+))?$/.exec(values["quote-latency-ms"] ?? "");
if (!latency) fail(`--quote-latency-ms must be N or MIN-MAX in milliseconds, e.g. 300-1500`);
const quoteLatencyMs: [number, number] = [Number(latency[1]), Number(latency[2] ?? latency[1])];
if (quoteLatencyMs[1] < quoteLatencyMs[0]) fail("--quote-latency-ms: MIN must not exceed MAX");

function portArg(name: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--${name} must be a port number (0-65535), got "${text}"`);
    process.exit(2);
  }
  return port;
}

const execTimeFormat = values["exec-time-format"] as ExecTimeFormat;
if (!EXEC_TIME_FORMATS.includes(execTimeFormat)) {
  console.error(`--exec-time-format must be one of ${EXEC_TIME_FORMATS.join(", ")}`);
  process.exit(2);
}
const seed = values.seed === "empty" ? "empty" : "journal";
const logger = createLogger(process.env.LOG_LEVEL ?? "info");
const sim = await IbSimulator.start({
  port: portArg("port", values.port),
  host: values.host,
  seed,
  ownerClientId: Number(values["client-id"]),
  execTimeFormat,
  serverVersion,
  optionsData,
  quoteLatencyMs: quoteLatencyMs[1] > 0 ? quoteLatencyMs : undefined,
  accounts: values.accounts
    ?.split(",")
    .map((a) => a.trim())
    .filter(Boolean),
  logger,
});
const control = await startControlServer(sim, {
  port: portArg("control-port", values["control-port"]),
  host: values.host,
});
console.log(
  `IB Gateway simulator (server versions up to ${serverVersion}, options data ${optionsData}, accounts ${sim.accounts.join(",")}, seed ${seed})`,
);
console.log(`  TWS API:     ${values.host}:${sim.port}`);
console.log(
  `  control API: http://${values.host}:${control.port}  (GET /state; POST /fault /fill /price /cancel)`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await control.close();
  await sim.close();
  logger.flush?.();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
