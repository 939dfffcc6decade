import { type APIEmbed, type APIMessageTopLevelComponent, ComponentType } from "discord.js";
import type { ApprovalAlert } from "../../trading/approvals/approval-alerts.js";
import { describeAlert, type Mode } from "../format.js";
import { approvalButtons, parseButtonId, type Verdict } from "./buttons.js";
import { fitMessage, LIMITS, truncate } from "./limits.js";
import { actorLabel, COLOURS, traderTime, withMode } from "./style.js";

export interface PostParts {
  content: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
}

const DECISION = "Decision";

/** The same line whether the click or the later "approval-decided" alert writes it, so neither undoes the other. */
export function decisionLine(d: { verdict: Verdict; decidedBy: string | null; text: string }): string {
  return `${d.verdict === "approve" ? "Approved" : "Rejected"} by ${actorLabel(d.decidedBy)}: ${d.text}`;
}

export function expiryLine(expiredAt: string): string {
  return `Expired at ${traderTime(expiredAt, "t")} without a decision; nothing was done.`;
}

/** An approval that closes its post without a decision or a decision to show. */
export type ClosingAlert = Extract<
  ApprovalAlert,
  { type: "approval-decided" | "approval-expired" | "approval-withdrawn" }
>;

/** The line an "approval-decided", "approval-expired" or "approval-withdrawn" alert puts on the approval's post. */
export function closingLine(alert: ClosingAlert): string {
  if (alert.type === "approval-expired") return expiryLine(alert.expiredAt);
  if (alert.type === "approval-withdrawn") return `Withdrawn, ${alert.reason}; nothing was done.`;
  return decisionLine(alert);
}

/**
 * The approval's post once it is closed, written from the journal's record alone (the closing
 * alert): what it was about, the Decision, and its buttons disabled. The content (the ping
 * line) is left as it was.
 */
export function closedRecordPost(
  alert: ClosingAlert,
  mode: Mode,
  line: string,
  nonce: string | null,
): Pick<PostParts, "embeds" | "components"> {
  const embed = withMode(
    {
      title: describeAlert(alert).title,
      description: alert.summary,
      color: alert.type === "approval-decided" ? COLOURS.blue : COLOURS.amber,
      fields: [{ name: DECISION, value: truncate(line, LIMITS.fieldValue) }],
    },
    mode,
  );
  // Without the nonce (an approval the journal no longer knows) the buttons still show, disabled.
  const buttons = approvalButtons(alert.approvalId, nonce ?? "closed");
  const { embeds = [] } = fitMessage({ embeds: [embed] });
  return { embeds, components: [disabled(buttons)] };
}

/**
 * The post with the approval's buttons disabled and `line` as the Decision of the embed that
 * describes it: in a list, the embed at the index of its button row. "keep" leaves a Decision
 * already shown (e.g. "Approved by ...") in place and only disables the buttons.
 */
export function closedPost(
  post: PostParts,
  approvalId: string,
  line: string,
  how: "replace" | "keep" = "replace",
): PostParts {
  const row = post.components.findIndex((c) => rowApproval(c) === approvalId);
  const components = post.components.map((c, i) => (i === row ? disabled(c) : c));
  const at = Math.max(row, 0);
  const embed = post.embeds[at];
  if (!embed) {
    const content = post.content.includes(line)
      ? post.content
      : truncate(`${post.content}\n${line}`.trim(), LIMITS.content);
    return { content, embeds: post.embeds, components };
  }
  const fields = embed.fields ?? [];
  const shown = fields.some((f) => f.name === DECISION);
  if (shown && how === "keep") return { ...post, components };
  const field = { name: DECISION, value: truncate(line, LIMITS.fieldValue) };
  const decided = shown
    ? fields.map((f) => (f.name === DECISION ? field : f))
    : [...fields, field].slice(-LIMITS.fields);
  return {
    content: post.content,
    embeds: post.embeds.map((e, i) => (i === at ? { ...e, fields: decided } : e)),
    components,
  };
}

function rowApproval(component: APIMessageTopLevelComponent): string | null {
  if (component.type !== ComponentType.ActionRow) return null;
  for (const child of component.components) {
    const parsed = "custom_id" in child ? parseButtonId(child.custom_id) : null;
    if (parsed) return parsed.approvalId;
  }
  return null;
}

function disabled(component: APIMessageTopLevelComponent): APIMessageTopLevelComponent {
  if (component.type !== ComponentType.ActionRow) return component;
  return { ...component, components: component.components.map((c) => ({ ...c, disabled: true })) };
}
