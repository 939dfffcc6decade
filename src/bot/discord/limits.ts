import type { APIEmbed } from "discord.js";

/** Discord's message limits; a body over any of them is refused with 400. */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Title, description, field names and values, footer and author of all embeds together. */
  embedTotal: 6000,
} as const;

const ELLIPSIS = "…";
const DESCRIPTION_FLOOR = 1024;

/** `text` cut to at most `max` characters, with an ellipsis when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  return text.slice(0, max - 1) + ELLIPSIS;
}

/** As many whole lines as fit in `max`, then "…and N more" for the rest. */
export function joinLines(lines: readonly string[], max: number): string {
  const all = lines.join("\n");
  if (all.length <= max) return all;
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const more = `${ELLIPSIS}and ${lines.length - i} more`;
    const cost = line.length + (kept.length > 0 ? 1 : 0);
    // Keep room for the "more" line unless this is the last line.
    const room = i === lines.length - 1 ? max : max - more.length - 1;
    if (used + cost > room) {
      kept.push(more);
      return truncate(kept.join("\n"), max);
    }
    kept.push(line);
    used += cost;
  }
  return kept.join("\n");
}

export function embedLength(e: APIEmbed): number {
  const fields = (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  return (
    (e.title ?? "").length +
    (e.description ?? "").length +
    (e.footer?.text ?? "").length +
    (e.author?.name ?? "").length +
    fields
  );
}

/**
 * The embed within every per-part limit and within `budget` characters in all: long parts
 * are cut, fields past 25 are summarised, then the description and the last fields give way.
 */
export function fitEmbed(embed: APIEmbed, budget: number = LIMITS.embedTotal): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, LIMITS.title);
  if (out.description !== undefined) out.description = truncate(out.description, LIMITS.description);
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, LIMITS.author) };
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footer) };
  if (out.fields) {
    let fields = out.fields.map((f) => ({
      ...f,
      name: truncate(f.name, LIMITS.fieldName) || "\u200b",
      value: truncate(f.value, LIMITS.fieldValue) || "\u200b",
    }));
    if (fields.length > LIMITS.fields) {
      const hidden = fields.length - (LIMITS.fields - 1);
      fields = [...fields.slice(0, LIMITS.fields - 1), { name: ELLIPSIS, value: `${hidden} more not shown` }];
    }
    out.fields = fields;
  }
  let over = embedLength(out) - budget;
  // A long description gives way first, but only down to a readable size; then the last fields go.
  if (over > 0 && out.description) {
    const floor = Math.min(out.description.length, DESCRIPTION_FLOOR);
    out.description = truncate(out.description, Math.max(floor, out.description.length - over));
    over = embedLength(out) - budget;
  }
  while (over > 0 && out.fields && out.fields.length > 0) {
    out.fields = out.fields.slice(0, -1);
    over = embedLength(out) - budget;
  }
  if (over > 0 && out.description) {
    out.description = truncate(out.description, out.description.length - over);
    if (!out.description) delete out.description;
  }
  for (const part of ["footer", "title", "author"] as const) {
    over = embedLength(out) - budget;
    if (over > 0) shrink(out, part, over);
  }
  return out;
}

/** Cuts `by` characters off one short part of the embed, or drops the part. */
function shrink(embed: APIEmbed, part: "footer" | "title" | "author", by: number): void {
  if (part === "title") {
    const title = truncate(embed.title ?? "", (embed.title ?? "").length - by);
    if (title) embed.title = title;
    else delete embed.title;
    return;
  }
  const holder = part === "footer" ? embed.footer : embed.author;
  if (!holder) return;
  const text = part === "footer" ? (embed.footer?.text ?? "") : (embed.author?.name ?? "");
  const cut = truncate(text, text.length - by);
  if (!cut) delete embed[part];
  else if (part === "footer") embed.footer = { ...embed.footer, text: cut };
  else embed.author = { ...embed.author, name: cut };
}

export interface MessageParts {
  content?: string;
  embeds?: APIEmbed[];
}

/** A message body within Discord's limits: content 2000, 10 embeds, 6000 characters of embeds. */
export function fitMessage<T extends MessageParts>(message: T): T {
  const out: T = { ...message };
  if (out.content !== undefined) out.content = truncate(out.content, LIMITS.content);
  if (out.embeds) {
    let remaining: number = LIMITS.embedTotal;
    const embeds: APIEmbed[] = [];
    for (const embed of out.embeds.slice(0, LIMITS.embeds)) {
      if (remaining <= 0) break;
      const fitted = fitEmbed(embed, remaining);
      remaining -= embedLength(fitted);
      embeds.push(fitted);
    }
    out.embeds = embeds;
  }
  return out;
}
