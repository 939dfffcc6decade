/**
 * Discord's checks on a bulk command registration (Application Commands, "Application Command
 * Object" and "Application Command Option Structure"): a registration that breaks one is
 * refused whole with 400 50035, as it would be live.
 */

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const STRING = 3;
const INTEGER = 4;
const NUMBER = 10;
const OPTION_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
const CHAT_INPUT = 1;

type Json = Record<string, unknown>;

export function registrationProblems(body: unknown): string[] {
  if (!Array.isArray(body)) return ["expected an array of commands"];
  const out: string[] = [];
  if (body.length > 100) out.push("must be 100 or fewer commands");
  const names = new Set<string>();
  body.forEach((c: Json, i) => {
    const at = `${i}`;
    const type = (c.type as number | undefined) ?? CHAT_INPUT;
    out.push(...nameProblems(c, at, type === CHAT_INPUT));
    const key = `${type}:${String(c.name)}`;
    if (names.has(key)) out.push(`${at}.name: Application command names must be unique`);
    names.add(key);
    if (type === CHAT_INPUT) out.push(...descriptionProblems(c, at));
    const dmp = c.default_member_permissions;
    if (dmp !== undefined && dmp !== null && (typeof dmp !== "string" || !/^\d+$/.test(dmp))) {
      out.push(`${at}.default_member_permissions: must be a permission bit set as a string`);
    }
    out.push(...optionsProblems(c.options, `${at}.options`, 0));
  });
  return out;
}

function nameProblems(c: Json, at: string, lowercase: boolean): string[] {
  const name = c.name;
  if (typeof name !== "string" || !NAME.test(name)) return [`${at}.name: must match ${NAME.source}`];
  if (lowercase && name !== name.toLowerCase()) return [`${at}.name: must be lowercase`];
  return [];
}

function descriptionProblems(c: Json, at: string): string[] {
  const d = c.description;
  if (typeof d !== "string" || d.length < 1 || d.length > 100) {
    return [`${at}.description: must be between 1 and 100 in length`];
  }
  return [];
}

function optionsProblems(options: unknown, at: string, depth: number): string[] {
  if (options === undefined) return [];
  if (!Array.isArray(options)) return [`${at}: must be an array`];
  const out: string[] = [];
  if (options.length > 25) out.push(`${at}: must be 25 or fewer in length`);
  let optionalSeen = false;
  const names = new Set<string>();
  options.forEach((o: Json, i) => {
    const here = `${at}.${i}`;
    const type = o.type as number;
    if (!OPTION_TYPES.has(type)) out.push(`${here}.type: ${String(type)} is not an option type`);
    out.push(...nameProblems(o, here, true), ...descriptionProblems(o, here));
    if (names.has(String(o.name))) out.push(`${here}.name: option names must be unique`);
    names.add(String(o.name));
    if (type === SUB_COMMAND || type === SUB_COMMAND_GROUP) {
      if (depth >= 2) out.push(`${here}: sub-commands nest at most two levels`);
      out.push(...optionsProblems(o.options, `${here}.options`, depth + 1));
      return;
    }
    if (o.required) {
      if (optionalSeen)
        out.push(`${here}.required: Required options must be placed before non-required options`);
    } else optionalSeen = true;
    out.push(...rangeProblems(o, here, type), ...choiceProblems(o, here, type));
  });
  return out;
}

function rangeProblems(o: Json, at: string, type: number): string[] {
  const out: string[] = [];
  const numeric = type === INTEGER || type === NUMBER;
  for (const key of ["min_value", "max_value"]) {
    const v = o[key];
    if (v === undefined) continue;
    if (!numeric) out.push(`${at}.${key}: only for INTEGER and NUMBER options`);
    else if (typeof v !== "number" || (type === INTEGER && !Number.isInteger(v))) {
      out.push(`${at}.${key}: must be ${type === INTEGER ? "an integer" : "a number"}`);
    }
  }
  if (typeof o.min_value === "number" && typeof o.max_value === "number" && o.min_value > o.max_value) {
    out.push(`${at}.min_value: must be less than or equal to max_value`);
  }
  for (const key of ["min_length", "max_length"]) {
    const v = o[key];
    if (v === undefined) continue;
    if (type !== STRING) out.push(`${at}.${key}: only for STRING options`);
    const low = key === "min_length" ? 0 : 1;
    if (typeof v !== "number" || !Number.isInteger(v) || v < low || v > 6000) {
      out.push(`${at}.${key}: must be an integer ${low}-6000`);
    }
  }
  if (typeof o.min_length === "number" && typeof o.max_length === "number" && o.min_length > o.max_length) {
    out.push(`${at}.min_length: must be less than or equal to max_length`);
  }
  return out;
}

function choiceProblems(o: Json, at: string, type: number): string[] {
  const choices = o.choices;
  if (choices === undefined) return [];
  const out: string[] = [];
  if (![STRING, INTEGER, NUMBER].includes(type))
    return [`${at}.choices: only for STRING, INTEGER and NUMBER`];
  if (!Array.isArray(choices) || choices.length > 25) return [`${at}.choices: must be 25 or fewer in length`];
  if (o.autocomplete) out.push(`${at}.choices: cannot be used with autocomplete`);
  choices.forEach((c: Json, i) => {
    const name = c.name;
    if (typeof name !== "string" || name.length < 1 || name.length > 100) {
      out.push(`${at}.choices.${i}.name: must be between 1 and 100 in length`);
    }
    const v = c.value;
    const fits =
      type === STRING
        ? typeof v === "string" && v.length <= 100
        : typeof v === "number" && (type === NUMBER || Number.isInteger(v));
    if (!fits) out.push(`${at}.choices.${i}.value: does not match the option type`);
  });
  return out;
}
