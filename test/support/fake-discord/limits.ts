import type { SentComponent, SentEmbed, SentMessage } from "./types.js";

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
  problems.push(...componentProblems(body.components ?? []));
  problems.push(...mentionProblems(body.allowed_mentions));
  if (body.nonce !== undefined) {
    const nonce = body.nonce;
    if (typeof nonce === "string" ? nonce.length > 25 : !Number.isInteger(nonce)) {
      problems.push("nonce: must be an integer or a string of 25 or fewer characters");
    }
  }
  if (body.enforce_nonce && body.nonce === undefined) problems.push("enforce_nonce: needs a nonce");
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

const ACTION_ROW = 1;
const BUTTON = 2;
const LINK_BUTTON = 5;

/** Legacy components: <= 5 action rows of <= 5 buttons, unique custom_ids, labels <= 80. */
function componentProblems(rows: SentComponent[]): string[] {
  const out: string[] = [];
  if (rows.length > 5) out.push("components: must be 5 or fewer in length");
  const ids = new Set<string>();
  rows.forEach((row, r) => {
    if (row.type !== ACTION_ROW) {
      out.push(`components.${r}: top-level components must be action rows`);
      return;
    }
    const children = row.components ?? [];
    if (children.length === 0) out.push(`components.${r}.components: must have at least 1 component`);
    if (children.length > 5) out.push(`components.${r}.components: must be 5 or fewer in length`);
    children.forEach((c, i) => {
      const at = `components.${r}.components.${i}`;
      if (c.type !== BUTTON) return;
      if ((c.label ?? "").length > 80) out.push(`${at}.label: must be 80 or fewer in length`);
      if (c.style === LINK_BUTTON) return;
      const id = c.custom_id ?? "";
      if (!id) out.push(`${at}.custom_id: is required for a button that is not a link`);
      if (id.length > 100) out.push(`${at}.custom_id: must be 100 or fewer in length`);
      if (ids.has(id)) out.push(`${at}.custom_id: Component custom id cannot be duplicated`);
      ids.add(id);
    });
  });
  return out;
}

/** allowed_mentions: parse only roles/users/everyone, never both `parse: users` and a user list. */
function mentionProblems(m: SentMessage["allowed_mentions"]): string[] {
  if (m === undefined) return [];
  const out: string[] = [];
  const parse = m.parse ?? [];
  for (const p of parse) {
    if (!["roles", "users", "everyone"].includes(p)) out.push(`allowed_mentions.parse: ${p} is not valid`);
  }
  if (parse.includes("users") && m.users !== undefined) {
    out.push("allowed_mentions: parse:[users] and users: [ids] are mutually exclusive");
  }
  if (parse.includes("roles") && m.roles !== undefined) {
    out.push("allowed_mentions: parse:[roles] and roles: [ids] are mutually exclusive");
  }
  if ((m.users ?? []).length > 100) out.push("allowed_mentions.users: must be 100 or fewer in length");
  if ((m.roles ?? []).length > 100) out.push("allowed_mentions.roles: must be 100 or fewer in length");
  return out;
}
