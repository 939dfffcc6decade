import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { z } from "zod";
import type { Mode } from "../../format.js";
import type { Ops } from "../../ops.js";

/** The person behind an interaction. */
export interface ChatUser {
  id: string;
  /** Their display name, for logs and "approved by" lines. */
  name: string;
}

export interface CommandContext<Options> {
  options: Options;
  ops: Ops;
  mode: Mode;
  user: ChatUser;
  /** "discord:<userId>": who to name in the audit log. */
  actor: string;
  now: Date;
}

/** What a command answers; the router fits it into Discord's limits and sends it. */
export interface CommandReply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/**
 * One slash command: `commands/<name>.ts` exports these four (and optionally `ephemeral`),
 * and `commands/index.ts` lists the module. The registry feeds both the router and
 * deploy-commands, so a command can't be registered without its handler.
 */
export interface CommandModule<Schema extends z.ZodType = z.ZodType> {
  /** The registration body (name, description, options), as sent to Discord. */
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Validates the options Discord sent, keyed by option name (plus `subcommand`/`group`). */
  options: Schema;
  /** Read-only commands may be opened to every member with DISCORD_PUBLIC_READ; actions never. */
  readOnly: boolean;
  /** Answer only the caller; by default the channel sees the answer. */
  ephemeral?: boolean;
  /** Runs after the reply is deferred, so it may take its time with the broker and database. */
  handle(ctx: CommandContext<z.output<Schema>>): Promise<CommandReply>;
}
