import { type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody, Routes } from "discord.js";
import type { Logger } from "../../log.js";
import type { ApprovalAlert } from "../../trading/approvals/approval-alerts.js";
import { DeliveryError, type OutboxItem } from "../alert-dispatcher.js";
import type { Mode } from "../format.js";
import { alertPost, approvalNonce, type Mentions } from "./alert-post.js";
import type { ApprovalDesk } from "./approval-desk.js";
import { type ClosingAlert, closedRecordPost, closingLine } from "./approval-post.js";
import { approvalButtons } from "./buttons.js";
import { describeRestError, restStatus } from "./discord-errors.js";

type RequestedAlert = Extract<ApprovalAlert, { type: "approval-requested" }>;

export interface ApprovalPostsDeps {
  rest: REST;
  mode: Mode;
  mentions: Mentions | null;
  desk: ApprovalDesk;
  logger: Logger;
  /** Posts to the alert channel; throws when the post failed. */
  post(body: RESTPostAPIChannelMessageJSONBody): Promise<APIMessage>;
}

/**
 * Approval alerts on Discord. A request is posted with its buttons and its place recorded; its
 * decision or expiry edits that post with the bot token (interaction tokens die after 15
 * minutes) and is also posted quietly, so the outcome shows up where people are reading. The
 * edit is written from the journal's record of the approval, never from a re-read of the post
 * (which would need Read Message History, and a 403 there is not "the post is gone").
 */
export class ApprovalPosts {
  /** Posts made by this process, for a closing alert written before its post was recorded (an outage). */
  private readonly posted = new Map<string, { chatRef: string; nonce: string }>();

  constructor(private readonly deps: ApprovalPostsDeps) {}

  async request(item: OutboxItem, alert: RequestedAlert): Promise<string> {
    const { mode, mentions, desk, logger } = this.deps;
    const message = await this.deps.post({
      ...alertPost(item, mode, mentions, undefined, approvalNonce(alert.approvalId)),
      components: [approvalButtons(alert.approvalId, alert.nonce)],
    });
    const chatRef = `${message.channel_id}/${message.id}`;
    this.posted.set(alert.approvalId, { chatRef, nonce: alert.nonce });
    // The post is out: failing now would make the outbox post it a second time.
    await desk
      .recordPost(alert.approvalId, chatRef)
      .catch((err: unknown) =>
        logger.warn({ err, approvalId: alert.approvalId }, "discord: could not record the approval's post"),
      );
    return message.id;
  }

  async close(item: OutboxItem, alert: ClosingAlert): Promise<string> {
    const line = closingLine(alert);
    const chatRef = alert.chatRef ?? this.posted.get(alert.approvalId)?.chatRef;
    if (chatRef) await this.edit(chatRef, alert, line);
    const message = await this.deps.post(alertPost(item, this.deps.mode, null, line));
    this.posted.delete(alert.approvalId);
    return message.id;
  }

  private async nonceOf(approvalId: string): Promise<string | null> {
    try {
      return (await this.deps.desk.nonceOf?.(approvalId)) ?? null;
    } catch (err) {
      this.deps.logger.warn({ err, approvalId }, "discord: could not read the approval's nonce");
      return null;
    }
  }

  private async edit(chatRef: string, alert: ClosingAlert, line: string): Promise<void> {
    const { approvalId } = alert;
    const [channelId, messageId, ...rest] = chatRef.split("/");
    if (!channelId || !messageId || rest.length > 0) {
      this.deps.logger.warn({ chatRef, approvalId }, "discord: approval posted somewhere else; not edited");
      return;
    }
    const route = Routes.channelMessage(channelId, messageId);
    const nonce = this.posted.get(approvalId)?.nonce ?? (await this.nonceOf(approvalId));
    try {
      await this.deps.rest.patch(route, {
        body: { ...closedRecordPost(alert, this.deps.mode, line, nonce), allowed_mentions: { parse: [] } },
      });
    } catch (err) {
      if (restStatus(err) === 404) {
        this.deps.logger.warn(
          { err, chatRef, approvalId },
          "discord: the approval's post is gone; not edited",
        );
        return;
      }
      const scope = restStatus(err) === 403 ? "channel" : "transient";
      throw new DeliveryError(`editing approval post ${chatRef} failed: ${describeRestError(err)}`, scope, {
        cause: err,
      });
    }
  }
}
