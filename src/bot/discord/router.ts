import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  type RepliableInteraction,
} from "discord.js";
import type { Clock } from "../../clock.js";
import type { DiscordConfig } from "../../config.js";
import type { Logger } from "../../log.js";
import { audit as auditRepo, type Db } from "../../store/index.js";
import { type Mode, modeLabel } from "../format.js";
import type { Ops } from "../ops.js";
import type { ApprovalClick, ApprovalClickResult, ApprovalDesk } from "./approval-desk.js";
import { closedPost, type PostParts } from "./approval-post.js";
import { authorize, type Caller, refusalText } from "./authorize.js";
import { parseButtonId } from "./buttons.js";
import type { ChatUser, CommandModule, CommandReply } from "./commands/index.js";
import { isStaleInteraction } from "./discord-errors.js";
import { fitMessage, LIMITS, truncate } from "./limits.js";
import { optionValues, validationText } from "./options.js";
import { withMode } from "./style.js";

export interface RouterDeps {
  config: DiscordConfig;
  mode: Mode;
  ops: Ops;
  db: Db;
  clock: Clock;
  logger: Logger;
  commands: ReadonlyMap<string, CommandModule>;
  approvals: ApprovalDesk;
}

const EPHEMERAL = { flags: MessageFlags.Ephemeral } as const;
const NO_PINGS = { parse: [] };

/**
 * interaction -> authorization -> validated options -> handler -> reply. Every command and
 * every button is authorized here; anything that may touch the broker or the database runs
 * after the reply is deferred (Discord's 3-second rule). Never throws.
 */
export class InteractionRouter {
  constructor(private readonly deps: RouterDeps) {}

  async route(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isChatInputCommand()) await this.command(interaction);
      else if (interaction.isButton()) await this.button(interaction);
    } catch (err) {
      const log = { err, interaction: interaction.id, user: interaction.user.id };
      // The user waited too long, or Discord retried a delivery we already answered.
      if (isStaleInteraction(err))
        this.deps.logger.warn(log, "discord: interaction expired or already answered");
      else this.deps.logger.error(log, "discord: could not answer an interaction");
    }
  }

  private async command(i: ChatInputCommandInteraction): Promise<void> {
    const command = this.deps.commands.get(i.commandName);
    if (!command) {
      await i.reply({
        content: `The bot has no /${i.commandName} command (any more). Ask the operator to run \`npm run deploy-commands\`.`,
        ...EPHEMERAL,
      });
      return;
    }
    const name = `/${i.commandName}`;
    if (!authorize(this.deps.config, callerOf(i), command.readOnly).allowed) {
      return this.refuse(i, refusalText(this.deps.config, `use ${name}`, i.user.id, i.guildId), {
        command: name,
      });
    }
    const parsed = command.options.safeParse(optionValues(i.options.data));
    if (!parsed.success) {
      await i.reply({ content: validationText(i.commandName, parsed.error), ...EPHEMERAL });
      return;
    }
    // Outside the alert channel (#general, a thread) only the caller sees the answer: P&L and
    // positions stay where the operator put the bot.
    const privately = (command.ephemeral ?? false) || i.channelId !== this.deps.config.channelId;
    await i.deferReply(privately ? EPHEMERAL : {});
    let reply: CommandReply;
    try {
      const user = chatUser(i);
      reply = await command.handle({
        options: parsed.data,
        ops: this.deps.ops,
        mode: this.deps.mode,
        user,
        actor: `discord:${user.id}`,
        now: this.deps.clock.now(),
      });
    } catch (err) {
      this.deps.logger.error({ err, command: name, user: i.user.id }, "discord: command failed");
      return this.failed(i, `${name} failed: ${errorText(err)}`, privately);
    }
    await i.editReply({ ...this.stamped(reply), allowedMentions: NO_PINGS });
  }

  /**
   * Tells only the caller. A public deferred reply is removed first: a follow-up sent while it
   * is still loading would fill it in, publicly, whatever its own flags say. If it cannot be
   * removed it is filled with a line that gives nothing away, and the error follows privately.
   */
  private async failed(i: ChatInputCommandInteraction, text: string, ephemeral: boolean): Promise<void> {
    const content = truncate(text, LIMITS.content);
    if (ephemeral) {
      await i.editReply({ content, embeds: [], components: [] });
      return;
    }
    const removed = await i.deleteReply().then(
      () => true,
      (err: unknown) => {
        this.deps.logger.warn({ err }, "discord: could not remove a deferred reply");
        return false;
      },
    );
    if (!removed) {
      await i.editReply({
        content: `/${i.commandName} did not complete; only you were told why.`,
        embeds: [],
        components: [],
      });
    }
    await i.followUp({ content, ...EPHEMERAL });
  }

  private async button(i: ButtonInteraction): Promise<void> {
    // Buttons have no permission gate of their own and every one of ours is an action.
    const authorized = authorize(this.deps.config, callerOf(i), false).allowed;
    const approval = parseButtonId(i.customId);
    if (!approval) {
      const text = authorized
        ? "This button is not one of the bot's approval buttons; nothing was done."
        : refusalText(this.deps.config, "decide approvals", i.user.id, i.guildId);
      return this.refuse(i, text, { button: i.customId, reason: "not an approval button" });
    }
    const user = chatUser(i);
    const click = { ...approval, user, authorized };
    if (!authorized) return this.refuseClick(i, click);
    await i.deferUpdate();
    let result: ApprovalClickResult;
    try {
      result = await this.deps.approvals.decide(click);
    } catch (err) {
      this.deps.logger.error(
        { err, approvalId: click.approvalId, user: user.id },
        "discord: approval click failed",
      );
      await i.followUp({
        content: truncate(`Approval ${click.approvalId} failed: ${errorText(err)}`, LIMITS.content),
        ...EPHEMERAL,
      });
      return;
    }
    if (result.status === "refused") {
      await i.followUp({ content: result.reason, ...EPHEMERAL });
      return;
    }
    // The post first (everyone sees it), then the clicker privately learns why nothing happened.
    const post =
      result.status === "decided"
        ? closedPost(postOf(i), click.approvalId, result.line)
        : closedPost(postOf(i), click.approvalId, result.reason, "keep");
    await i.editReply({ ...post, allowedMentions: NO_PINGS });
    if (result.status === "closed") await i.followUp({ content: result.reason, ...EPHEMERAL });
  }

  /** The approval service records the refusal against the approval; failing that, we do. */
  private async refuseClick(i: ButtonInteraction, click: ApprovalClick): Promise<void> {
    const { config, logger } = this.deps;
    logger.warn(
      { user: click.user.id, button: i.customId },
      "discord: refused a click from a user who is not allowed",
    );
    try {
      await i.reply({
        content: refusalText(config, "decide approvals", click.user.id, i.guildId),
        ...EPHEMERAL,
      });
    } finally {
      try {
        await this.deps.approvals.decide(click);
      } catch (err) {
        logger.warn({ err }, "discord: the approval service could not record a refused click");
        await this.audit(click.user, { button: i.customId });
      }
    }
  }

  private async refuse(
    i: RepliableInteraction,
    text: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    const user = chatUser(i);
    this.deps.logger.warn({ user: user.id, ...detail }, "discord: refused an interaction");
    try {
      await i.reply({ content: text, ...EPHEMERAL });
    } finally {
      await this.audit(user, detail);
    }
  }

  private audit(user: ChatUser, detail: Record<string, unknown>): Promise<void> {
    const { db, clock } = this.deps;
    return auditRepo.audit(
      db,
      `discord:${user.id}`,
      "discord.refused",
      { user: user.name, ...detail },
      clock.now(),
    );
  }

  /** Within Discord's limits, and showing the mode: on each embed, or before a text-only answer. */
  private stamped(reply: CommandReply): CommandReply {
    const { mode } = this.deps;
    if (reply.embeds && reply.embeds.length > 0) {
      return fitMessage({ ...reply, embeds: reply.embeds.map((e) => (e.author ? e : withMode(e, mode))) });
    }
    return fitMessage({ ...reply, content: `[${modeLabel(mode)}] ${reply.content ?? ""}` });
  }
}

function callerOf(i: Interaction): Caller {
  const roles = i.member?.roles;
  const roleIds = roles === undefined ? [] : Array.isArray(roles) ? roles : [...roles.cache.keys()];
  return { userId: i.user.id, roleIds, guildId: i.guildId };
}

function chatUser(i: Interaction): ChatUser {
  return { id: i.user.id, name: i.user.globalName ?? i.user.username };
}

function postOf(i: ButtonInteraction): PostParts {
  return {
    content: i.message.content,
    embeds: i.message.embeds.map((e) => e.toJSON()),
    components: i.message.components.map((c) => c.toJSON()),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
