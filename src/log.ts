import { pino } from "pino";

export type Logger = pino.Logger;

/**
 * JSON logs; readable lines when stdout is a terminal. `destination` is a file descriptor (1, 2)
 * or a file path (appended to, its folder created).
 */
export function createLogger(
  level = "info",
  opts: { pretty?: boolean; destination?: number | string } = {},
): Logger {
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
  return pino(
    { level },
    // A file is written synchronously: an exit right after start-up (a bad setting) must not lose or
    // trip over a destination still opening. Stdout and stderr stay asynchronous.
    pino.destination({
      dest: opts.destination ?? 1,
      sync: typeof opts.destination === "string",
      mkdir: typeof opts.destination === "string",
    }),
  );
}

export const silentLogger: Logger = pino({ level: "silent" });
