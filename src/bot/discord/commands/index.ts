import * as approvals from "./approvals.js";
import * as entry from "./entry.js";
import * as orders from "./orders.js";
import * as pause from "./pause.js";
import * as positions from "./positions.js";
import * as reattach from "./reattach.js";
import * as reconcile from "./reconcile.js";
import * as resume from "./resume.js";
import * as status from "./status.js";
import * as trades from "./trades.js";
import type { CommandModule } from "./types.js";

export type { ChatUser, CommandContext, CommandModule, CommandReply } from "./types.js";

/** Every slash command the bot serves and registers. A new command is one file plus one line here. */
export const builtinCommands: readonly CommandModule[] = [
  status,
  positions,
  orders,
  trades,
  entry,
  reattach,
  reconcile,
  pause,
  resume,
  approvals,
];

/** Commands by name; refuses two commands with one name. */
export function commandRegistry(
  commands: readonly CommandModule[] = builtinCommands,
): Map<string, CommandModule> {
  const registry = new Map<string, CommandModule>();
  for (const command of commands) {
    const name = command.definition.name;
    if (registry.has(name)) throw new Error(`two slash commands are named /${name}`);
    registry.set(name, command);
  }
  return registry;
}
