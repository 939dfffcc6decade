import { existsSync } from "node:fs";
import { join } from "node:path";
import { config as loadDotenv } from "dotenv";

/**
 * Loads `.env` from `dir` (the working directory by default) into process.env when the file exists.
 * Variables already set in the real environment win. Returns the file's path, or undefined if none.
 */
export function readEnvFile(dir = process.cwd()): string | undefined {
  const path = join(dir, ".env");
  if (!existsSync(path)) return undefined;
  const result = loadDotenv({ path, override: false, quiet: true });
  if (result.error) throw new Error(`Could not read ${path}: ${result.error.message}`);
  return path;
}
