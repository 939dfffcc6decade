import type { Migration } from "kysely";
import * as m001 from "./001_initial.js";
import * as m002 from "./002_entry_ladder.js";
import * as m003 from "./003_execution_versions.js";

/** Every migration, by name in run order. A static map so it works under tsx, vitest and bundlers alike. */
export const migrations: Record<string, Migration> = {
  "001_initial": m001,
  "002_entry_ladder": m002,
  "003_execution_versions": m003,
};
