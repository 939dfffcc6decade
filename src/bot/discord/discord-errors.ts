/** Gateway close codes after which reconnecting cannot help: the configuration must change. */
const FATAL_CLOSE_CODES: Record<number, string> = {
  4004: "Discord rejected the bot token (4004): check DISCORD_TOKEN (Developer Portal, Bot, Reset Token).",
  4010: "Discord rejected the shard settings (4010): the bot runs one shard; check nothing overrides it.",
  4011: "Discord requires sharding (4011): the bot is in too many servers for one connection.",
  4012: "Discord rejected the gateway API version (4012): update discord.js.",
  4013: "Discord rejected the gateway intents as invalid (4013): the bot asks only for Guilds; update discord.js.",
  4014: "Discord refused a privileged intent (4014): the bot needs only the Guilds intent; check the Developer Portal (Bot, Privileged Gateway Intents).",
};

/** Discord refused the bot for good; the process should stop and the operator fix the settings. */
export class DiscordFatalError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "DiscordFatalError";
  }
}

export function isFatalCloseCode(code: number): boolean {
  return code in FATAL_CLOSE_CODES;
}

export function fatalCloseError(code: number): DiscordFatalError {
  return new DiscordFatalError(
    code,
    FATAL_CLOSE_CODES[code] ?? `Discord closed the gateway with code ${code}.`,
  );
}

/** A REST 401 at login (GET /gateway/bot) is the same bad token as a 4004 on the gateway. */
export function rejectedTokenError(): DiscordFatalError {
  return new DiscordFatalError(
    401,
    "Discord rejected the bot token (401): check DISCORD_TOKEN (Developer Portal, Bot, Reset Token).",
  );
}

/** Discord API error codes that mean "too late" or "already done", not a failure of ours. */
export const UNKNOWN_INTERACTION = 10062;
export const ALREADY_ACKNOWLEDGED = 40060;

export function apiErrorCode(err: unknown): number | string | undefined {
  if (typeof err === "object" && err !== null && "code" in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === "number" || typeof code === "string") return code;
  }
  return undefined;
}

export function isStaleInteraction(err: unknown): boolean {
  const code = apiErrorCode(err);
  return code === UNKNOWN_INTERACTION || code === ALREADY_ACKNOWLEDGED;
}

/** "503 Service Unavailable", "404 Unknown Channel (10003)": enough for the outbox's last_error. */
export function describeRestError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const status =
    typeof err === "object" && err !== null && "status" in err
      ? (err as { status: unknown }).status
      : undefined;
  const code = apiErrorCode(err);
  const api = typeof code === "number" ? ` (${code})` : "";
  return typeof status === "number" ? `${status} ${message}${api}` : message;
}

/** The HTTP status of a failed REST call, if Discord answered at all. */
export function restStatus(err: unknown): number | undefined {
  const status =
    typeof err === "object" && err !== null && "status" in err
      ? (err as { status: unknown }).status
      : undefined;
  return typeof status === "number" ? status : undefined;
}
