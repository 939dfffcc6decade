import type { SentEmbed, SentMessage } from "./types.js";

/** Discord's own checks on a message body, so a bot that overflows a limit fails here as it would live. */
export function messageProblems(body: SentMessage, creating: boolean): string[] {
  const problems: string[] = [];
  const embeds = body.embeds ?? [];
  if ((body.content ?? "").length > 2000) problems.push("content: must be 2000 or fewer in length");
  if (embeds.length > 10) problems.push("embeds: must be 10 or fewer in length");
  let total = 0;
  embeds.forEach((e, i) => {
    problems.push(...embedProblems(e, i));
    total += embedLength(e);
  });
  if (total > 6000) problems.push("embeds: embed size exceeds maximum size of 6000");
  for (const row of body.components ?? []) {
    for (const c of row.components ?? []) {
      if ((c.custom_id ?? "").length > 100) problems.push("custom_id: must be 100 or fewer in length");
    }
  }
  const empty = !body.content && embeds.length === 0 && (body.components ?? []).length === 0;
  if (creating && empty) problems.push("Cannot send an empty message");
  return problems;
}

function embedProblems(e: SentEmbed, i: number): string[] {
  const out: string[] = [];
  const over = (what: string, value: string | undefined, max: number) => {
    if ((value ?? "").length > max) out.push(`embeds.${i}.${what}: must be ${max} or fewer in length`);
  };
  over("title", e.title, 256);
  over("description", e.description, 4096);
  over("author.name", e.author?.name, 256);
  over("footer.text", e.footer?.text, 2048);
  if ((e.fields ?? []).length > 25) out.push(`embeds.${i}.fields: must be 25 or fewer in length`);
  for (const f of e.fields ?? []) {
    over("fields.name", f.name, 256);
    over("fields.value", f.value, 1024);
  }
  return out;
}

function embedLength(e: SentEmbed): number {
  const fields = (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  return (
    (e.title ?? "").length +
    (e.description ?? "").length +
    (e.author?.name ?? "").length +
    (e.footer?.text ?? "").length +
    fields
  );
}
