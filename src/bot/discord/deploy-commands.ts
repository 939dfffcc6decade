import { pathToFileURL } from "node:url";
import { REST, type RESTPutAPIApplicationGuildCommandsResult, Routes } from "discord.js";
import { type DiscordConfig, loadConfig, readEnvFile } from "../../config.js";
import { builtinCommands, type CommandModule } from "./commands/index.js";
import { registrationBody } from "./registration.js";

/**
 * Registers the slash commands in the guild with one bulk PUT, which also removes commands
 * the bot no longer has. Guild commands show up at once (global ones can take an hour). Only
 * administrators see them until a role is granted them in Server Settings > Integrations.
 */
export async function deployCommands(
  config: Pick<DiscordConfig, "token" | "appId" | "guildId" | "apiUrl">,
  commands: readonly CommandModule[] = builtinCommands,
): Promise<string[]> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const body = commands.map(registrationBody);
  const result = (await rest.put(Routes.applicationGuildCommands(config.appId, config.guildId), {
    body,
  })) as RESTPutAPIApplicationGuildCommandsResult;
  return result.map((c) => c.name);
}

async function main(): Promise<void> {
  readEnvFile();
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`Configuration problems:\n${loaded.problems.map((p) => `  ${p}\n`).join("")}`);
    process.exit(2);
  }
  const discord = loaded.config.discord;
  if (!discord) {
    process.stderr.write(
      "deploy-commands needs the Discord settings: set DISCORD_TOKEN, DISCORD_APP_ID, DISCORD_GUILD_ID and DISCORD_CHANNEL_ID.\n",
    );
    process.exit(2);
  }
  const names = await deployCommands(discord);
  process.stdout.write(
    `Registered ${names.length} commands in guild ${discord.guildId}: /${names.join(", /")}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`deploy-commands failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
