import { createServer } from "node:net";
import type { Config } from "./config.js";
import { openDatabase } from "./store/index.js";

/**
 * What stops the bot before it does anything, in words that name the setting and the fix: a
 * journal file that is not a SQLite database or cannot be written, a health port that is taken.
 * Checked before the demo banner, so that a problem is never printed under it.
 */
export async function checkStartup(config: Config): Promise<string[]> {
  const problems: string[] = [];
  try {
    const store = await openDatabase(config.dbPath);
    await store.close();
  } catch (err) {
    problems.push(
      describeStartupFailure(err, config) ?? `DB_PATH: ${config.dbPath} could not be opened (${text(err)})`,
    );
  }
  if (config.health.port !== 0) {
    try {
      await probePort(config.health.host, config.health.port);
    } catch (err) {
      problems.push(
        describeStartupFailure(err, config) ?? `HEALTH_PORT: ${config.health.port} (${text(err)})`,
      );
    }
  }
  return problems;
}

/** The setting a start-up failure is about, as one line with its fix; undefined when it is none of ours. */
export function describeStartupFailure(err: unknown, config: Config): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  const message = text(err);
  const db = config.dbPath;
  if (code === "SQLITE_NOTADB" || /file is not a database/i.test(message))
    return `DB_PATH: ${db} is not a SQLite database; point DB_PATH at a new file or restore a backup (docs/OPERATIONS.md, section 6.2)`;
  if (code === "SQLITE_CORRUPT")
    return `DB_PATH: ${db} is damaged (${message}); restore a backup (docs/OPERATIONS.md, section 6.2) or point DB_PATH at a new file`;
  if (
    code === "EACCES" ||
    code === "EPERM" ||
    code === "EROFS" ||
    code === "SQLITE_CANTOPEN" ||
    code === "SQLITE_READONLY"
  ) {
    if (/listen|bind/i.test(message))
      return `HEALTH_PORT: ${config.health.port} needs privileges this user does not have; use a port above 1023, e.g. HEALTH_PORT=8080`;
    return `DB_PATH: ${db} cannot be created or written by this user (${message}); make its folder writable or point DB_PATH elsewhere`;
  }
  if (code === "EISDIR" || code === "ENOTDIR" || code === "EEXIST")
    return `DB_PATH: ${db} is a folder or under a file, not a database file; point DB_PATH at a file, e.g. DB_PATH=data/tradewarden.db`;
  if (code === "EADDRINUSE")
    return `HEALTH_PORT: ${config.health.port} is already in use on ${config.health.host}; stop the program using it or set HEALTH_PORT to a free port`;
  if (code === "EADDRNOTAVAIL")
    return `HEALTH_HOST: ${config.health.host} is not an address of this machine; use 127.0.0.1 (or 0.0.0.0 inside a container)`;
  if ((err as { name?: unknown } | null)?.name === "MigrationError")
    return `DB_PATH: ${db}: ${message}; restore a backup (docs/OPERATIONS.md, section 6.2) or point DB_PATH at a new file`;
  return undefined;
}

function probePort(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

function text(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
