/** `npm run sim -- --port 4004 --control-port 4010`: the simulator with the journal seed and its control API. */
import { parseArgs } from "node:util";
import { createLogger } from "../log.js";
import { startControlServer } from "./control-http.js";
import { EXEC_TIME_FORMATS, type ExecTimeFormat } from "./eastern.js";
import { IbSimulator } from "./server.js";

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
  },
});

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
console.log(`IB Gateway simulator (server version 193, accounts ${sim.accounts.join(",")}, seed ${seed})`);
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
