import { pino } from "pino";

export type Logger = pino.Logger;

/** JSON logs; readable lines when stdout is a terminal. */
export function createLogger(level = "info", opts: { pretty?: boolean; destination?: number } = {}): Logger {
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  if (pretty) {
    return pino({
      level,
      transport: {
        target: "pino-pretty",
        options: {
          colorize: true,
          translateTime: "SYS:HH:MM:ss.l",
          ignore: "pid,hostname",
          destination: opts.destination ?? 1,
        },
      },
    });
  }
  return pino({ level }, pino.destination({ dest: opts.destination ?? 1, sync: false }));
}

export const silentLogger: Logger = pino({ level: "silent" });
