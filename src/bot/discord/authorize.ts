import type { DiscordConfig } from "../../config.js";

export type AccessConfig = Pick<DiscordConfig, "guildId" | "allowedUserIds" | "allowedRoleId" | "publicRead">;

export interface Caller {
  userId: string;
  roleIds: readonly string[];
  /** Where the interaction came from; null in a DM. */
  guildId: string | null;
}

export type Access = { allowed: true; as: "operator" | "public" } | { allowed: false };

/**
 * Operators (allow-listed users, or holders of the allowed role, in our guild) may do
 * everything; with publicRead any member of our guild may use read-only commands. Trading
 * actions are never public. Discord's own permissions are not a gate: buttons have none.
 */
export function authorize(config: AccessConfig, caller: Caller, readOnly: boolean): Access {
  // Only in our own server: not in a DM, not in another server that also added the bot.
  if (caller.guildId !== config.guildId) return { allowed: false };
  const byRole = config.allowedRoleId !== undefined && caller.roleIds.includes(config.allowedRoleId);
  if (config.allowedUserIds.includes(caller.userId) || byRole) return { allowed: true, as: "operator" };
  if (readOnly && config.publicRead) return { allowed: true, as: "public" };
  return { allowed: false };
}

/** What a refused user reads: what they tried and who can let them. */
export function refusalText(
  config: AccessConfig,
  what: string,
  userId: string,
  guildId: string | null = config.guildId,
): string {
  if (guildId !== config.guildId) {
    return `You can only ${what} in the bot's own server, not here. Use the command there.`;
  }
  const role = config.allowedRoleId ? ` or give you the <@&${config.allowedRoleId}> role` : "";
  return (
    `You are not allowed to ${what}. Ask the operator to add your Discord user id (${userId}) ` +
    `to DISCORD_ALLOWED_USER_IDS${role}.`
  );
}
