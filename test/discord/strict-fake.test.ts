import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  EPHEMERAL,
  FakeDiscord,
  type FakeDiscordOptions,
  FIRST_RESPONSE_MS,
  PERM,
  type StoredMessage,
  TOKEN_LIFETIME_MS,
} from "../support/fake-discord/index.js";

/**
 * The fake Discord refuses what Discord refuses (discord-api-docs: Message, Embed, Component,
 * Application Command, Interaction, Permissions, Rate Limits, Gateway). Each rule is asked for
 * directly over HTTP, so a fake that lets it through fails here.
 */

let fake: FakeDiscord;
let now = 0;
afterEach(() => fake?.close());

async function start(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  now = 1_000_000;
  fake = await FakeDiscord.start({ now: () => now, ...opts });
  return fake;
}

interface Reply {
  status: number;
  body: { code?: number; message?: string; id?: string } & Record<string, unknown>;
  headers: Headers;
}

async function api(method: string, path: string, body?: unknown, bot = true): Promise<Reply> {
  const res = await fetch(`${fake.apiUrl}/v10${path}`, {
    method,
    headers: {
      ...(bot ? { authorization: `Bot ${fake.token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

const post = (body: unknown, channel = fake.ids.channel) =>
  api("POST", `/channels/${channel}/messages`, body);
const callback = (h: { id: string; token: string }, body: unknown, query = "") =>
  api("POST", `/interactions/${h.id}/${h.token}/callback${query}`, body, false);

function expectRefused(reply: Reply, status: number, code: number, words?: RegExp) {
  expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code });
  if (words) expect(reply.body.message).toMatch(words);
}

const command = () => fake.slashCommand({ userId: "300000000000000001", name: "status", deliver: false });

describe("interactions", () => {
  it("refuses a first answer after 3 seconds (10062)", async () => {
    await start();
    const late = command();
    now += FIRST_RESPONSE_MS + 1;
    expectRefused(await callback(late, { type: 5 }), 404, 10062);
    const inTime = command();
    now += FIRST_RESPONSE_MS - 1;
    expect((await callback(inTime, { type: 5 })).status).toBe(204);
  });

  it("kills the interaction token after 15 minutes (50027)", async () => {
    await start();
    const h = command();
    await callback(h, { type: 5 });
    const app = fake.ids.app;
    expect(
      (await api("PATCH", `/webhooks/${app}/${h.token}/messages/@original`, { content: "ok" }, false)).status,
    ).toBe(200);
    now += TOKEN_LIFETIME_MS + 1;
    expectRefused(
      await api("PATCH", `/webhooks/${app}/${h.token}/messages/@original`, { content: "x" }, false),
      401,
      50027,
    );
    expectRefused(
      await api("POST", `/webhooks/${app}/${h.token}?wait=true`, { content: "x" }, false),
      401,
      50027,
    );
  });

  it("allows callback type 6 (deferred update) only for components", async () => {
    await start();
    expectRefused(await callback(command(), { type: 6 }), 400, 50035, /only for component/);
    const message = fake.botMessage({
      content: "x",
      components: [{ type: 1, components: [{ type: 2, style: 1, label: "Go", custom_id: "go" }] }],
    });
    const click = fake.clickButton({ userId: "300000000000000001", customId: "go", message, deliver: false });
    expect((await callback(click, { type: 6 })).status).toBe(204);
  });

  it("fills a deferred reply with the first follow-up, ignoring the follow-up's ephemeral flag", async () => {
    await start();
    const h = command();
    await callback(h, { type: 5 });
    const followUp = await api(
      "POST",
      `/webhooks/${fake.ids.app}/${h.token}?wait=true`,
      { content: "secret", flags: EPHEMERAL },
      false,
    );
    expect(followUp.status).toBe(200);
    expect(fake.channelMessages()).toEqual([
      expect.objectContaining({ id: followUp.body.id, content: "secret" }),
    ]);
    const second = await api(
      "POST",
      `/webhooks/${fake.ids.app}/${h.token}?wait=true`,
      { content: "p", flags: EPHEMERAL },
      false,
    );
    expect(second.body.id).not.toBe(followUp.body.id);
    expect(fake.channelMessages().map((m) => m.content)).toEqual(["secret"]);
  });

  it("does not let an ephemeral reply be read through the channel", async () => {
    await start();
    const h = command();
    const reply = await callback(
      h,
      { type: 4, data: { content: "only you", flags: EPHEMERAL } },
      "?with_response=true",
    );
    const id = (reply.body.resource as { message: StoredMessage }).message.id;
    expectRefused(await api("GET", `/channels/${fake.ids.channel}/messages/${id}`), 404, 10008);
    expect(fake.channelMessages()).toEqual([]);
  });
});

describe("command registration", () => {
  const put = (body: unknown) =>
    api("PUT", `/applications/${fake.ids.app}/guilds/${fake.ids.guild}/commands`, body);
  const ok = { name: "status", description: "Status" };
  const opt = (o: Record<string, unknown>) => ({ ...ok, options: [{ name: "x", description: "X", ...o }] });

  it.each([
    ["a name with capitals", { name: "Status", description: "d" }, /name: must be lowercase/],
    ["a name with a space", { name: "my status", description: "d" }, /name: must match/],
    ["an empty description", { name: "status", description: "" }, /description: must be between 1 and 100/],
    ["a description over 100", { name: "status", description: "d".repeat(101) }, /description/],
    [
      "26 options",
      {
        ...ok,
        options: Array.from({ length: 26 }, (_, i) => ({ name: `o${i}`, description: "d", type: 3 })),
      },
      /options: must be 25 or fewer/,
    ],
    [
      "a required option after an optional one",
      {
        ...ok,
        options: [
          { name: "a", description: "d", type: 3 },
          { name: "b", description: "d", type: 3, required: true },
        ],
      },
      /Required options must be placed before non-required options/,
    ],
    [
      "a choice of the wrong type",
      opt({ type: 4, choices: [{ name: "one", value: "1" }] }),
      /value: does not match/,
    ],
    [
      "26 choices",
      opt({ type: 3, choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `${i}` })) }),
      /choices/,
    ],
    ["min_value on a string", opt({ type: 3, min_value: 1 }), /min_value: only for INTEGER and NUMBER/],
    ["min_length on a number", opt({ type: 10, min_length: 1 }), /min_length: only for STRING/],
    [
      "a fractional min_value on an integer",
      opt({ type: 4, min_value: 1.5 }),
      /min_value: must be an integer/,
    ],
    ["max_length over 6000", opt({ type: 3, max_length: 6001 }), /max_length: must be an integer 1-6000/],
    ["min_value above max_value", opt({ type: 4, min_value: 5, max_value: 1 }), /less than or equal/],
  ])("refuses %s", async (_what, body, words) => {
    await start();
    expectRefused(await put([body]), 400, 50035, words);
    expect(fake.registeredCommands).toEqual([]);
  });

  it("accepts a valid registration with ranges and hidden by default", async () => {
    await start();
    const reply = await put([
      { ...opt({ type: 4, min_value: 1, max_value: 100 }), default_member_permissions: "0" },
    ]);
    expect(reply.status).toBe(200);
    expect(fake.registeredCommands[0]).toMatchObject({ name: "status", default_member_permissions: "0" });
  });
});

describe("message bodies", () => {
  const button = (i: number, extra: Record<string, unknown> = {}) => ({
    type: 2,
    style: 1,
    label: `B${i}`,
    custom_id: `b${i}`,
    ...extra,
  });
  const row = (n: number, from = 0) => ({
    type: 1,
    components: Array.from({ length: n }, (_, i) => button(from + i)),
  });

  it.each([
    [
      "6 action rows",
      { components: Array.from({ length: 6 }, (_, r) => row(1, r * 10)) },
      /components: must be 5 or fewer/,
    ],
    ["6 buttons in a row", { components: [row(6)] }, /components.0.components: must be 5 or fewer/],
    [
      "two buttons with one custom_id",
      { components: [{ type: 1, components: [button(1), button(1)] }] },
      /cannot be duplicated/,
    ],
    [
      "a label over 80",
      { components: [{ type: 1, components: [button(1, { label: "L".repeat(81) })] }] },
      /label/,
    ],
    [
      "a custom_id over 100",
      { components: [{ type: 1, components: [button(1, { custom_id: "c".repeat(101) })] }] },
      /custom_id/,
    ],
    ["content over 2000", { content: "c".repeat(2001) }, /content: must be 2000/],
    [
      "11 embeds",
      { embeds: Array.from({ length: 11 }, () => ({ title: "t" })) },
      /embeds: must be 10 or fewer/,
    ],
    ["a title over 256", { embeds: [{ title: "t".repeat(257) }] }, /title/],
    ["a description over 4096", { embeds: [{ description: "d".repeat(4097) }] }, /description/],
    [
      "26 fields",
      { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: "n", value: "v" })) }] },
      /fields: must be 25/,
    ],
    [
      "a field name over 256",
      { embeds: [{ fields: [{ name: "n".repeat(257), value: "v" }] }] },
      /fields.name/,
    ],
    [
      "a field value over 1024",
      { embeds: [{ fields: [{ name: "n", value: "v".repeat(1025) }] }] },
      /fields.value/,
    ],
    ["a footer over 2048", { embeds: [{ footer: { text: "f".repeat(2049) } }] }, /footer.text/],
    [
      "embeds over 6000 characters in all",
      { embeds: [{ description: "d".repeat(4000) }, { description: "d".repeat(2001) }] },
      /6000/,
    ],
    [
      "parse users with a user list",
      { content: "x", allowed_mentions: { parse: ["users"], users: ["1"] } },
      /mutually exclusive/,
    ],
    [
      "an unknown parse value",
      { content: "x", allowed_mentions: { parse: ["channels"] } },
      /parse: channels/,
    ],
    ["a nonce over 25 characters", { content: "x", nonce: "n".repeat(26), enforce_nonce: true }, /nonce/],
    ["an empty message", {}, /empty message/],
  ])("refuses %s", async (_what, body, words) => {
    await start();
    expectRefused(await post(body), 400, 50035, words);
    expect(fake.channelMessages()).toEqual([]);
  });
});

describe("posting to a channel", () => {
  it("returns the message already made for a nonce sent with enforce_nonce", async () => {
    await start();
    const first = await post({ content: "one", nonce: "tw-a1", enforce_nonce: true });
    const again = await post({ content: "one", nonce: "tw-a1", enforce_nonce: true });
    expect(again.body.id).toBe(first.body.id);
    // Without enforce_nonce the nonce only tags the message.
    const a = await post({ content: "two", nonce: "tw-a2" });
    const b = await post({ content: "two", nonce: "tw-a2" });
    expect(a.body.id).not.toBe(b.body.id);
    expect(fake.channelMessages()).toHaveLength(3);
  });

  it("stores a post whose answer is then lost", async () => {
    await start();
    fake.loseAnswers(`POST /channels/${fake.ids.channel}/messages`, 1);
    await expect(post({ content: "lost answer" })).rejects.toThrow();
    expect(fake.channelMessages().map((m) => m.content)).toEqual(["lost answer"]);
  });

  it("computes permissions per channel: 50001 without View Channel, 50013 without Send Messages or Embed Links", async () => {
    await start();
    fake.denyBot(PERM.viewChannel);
    expectRefused(await post({ content: "x" }), 403, 50001, /Missing Access/);
    expect((await post({ content: "x" }, fake.ids.otherChannel)).status).toBe(200);
    fake.denyBot(PERM.sendMessages);
    expectRefused(await post({ content: "x" }), 403, 50013, /Missing Permissions/);
    fake.denyBot(PERM.embedLinks);
    expect((await post({ content: "plain" })).status).toBe(200);
    expectRefused(await post({ embeds: [{ title: "t" }] }), 403, 50013);
  });

  it("needs Read Message History to read a message, not to post or edit one", async () => {
    await start();
    const made = await post({ content: "x" });
    fake.denyBot(PERM.readMessageHistory);
    expectRefused(await api("GET", `/channels/${fake.ids.channel}/messages/${made.body.id}`), 403, 50013);
    expect(
      (await api("PATCH", `/channels/${fake.ids.channel}/messages/${made.body.id}`, { content: "y" })).status,
    ).toBe(200);
    expect((await post({ content: "z" })).status).toBe(200);
  });

  it("answers 404 10003 for a channel that does not exist", async () => {
    await start();
    expectRefused(await post({ content: "x" }, "123456789012345678"), 404, 10003, /Unknown Channel/);
  });
});

describe("rate limits", () => {
  it("sends X-RateLimit-* per route bucket and answers 429 past the limit", async () => {
    await start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const first = await post({ content: "1" });
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    expect(first.headers.get("x-ratelimit-reset-after")).toBe("60.000");
    const bucket = first.headers.get("x-ratelimit-bucket");
    expect(bucket).toMatch(/^[0-9a-f]{16}$/);
    expect((await post({ content: "2" })).headers.get("x-ratelimit-remaining")).toBe("0");
    const limited = await post({ content: "3" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(limited.body).toMatchObject({ retry_after: 60, global: false });
    // Another channel (major parameter) has its own count in the same bucket; another route its own.
    const other = await post({ content: "4" }, fake.ids.otherChannel);
    expect(other.status).toBe(200);
    expect(other.headers.get("x-ratelimit-bucket")).toBe(bucket);
    const read = await api("GET", `/channels/${fake.ids.channel}`);
    expect(read.status).toBe(200);
    expect(read.headers.get("x-ratelimit-bucket")).not.toBe(bucket);
    now += 60_000;
    expect((await post({ content: "5" })).status).toBe(200);
    expect(fake.channelMessages().map((m) => m.content)).toEqual(["1", "2", "5"]);
  });
});

describe("the gateway", () => {
  async function identify(intents: number): Promise<{ closed: number | null; ready: boolean }> {
    const { body } = await api("GET", "/gateway/bot");
    const ws = new WebSocket(`${String(body.url)}?v=10&encoding=json`);
    return new Promise((resolve) => {
      ws.on("message", (raw) => {
        const msg = JSON.parse(String(raw)) as { op: number; t?: string };
        if (msg.op === 10) {
          ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents, properties: {} } }));
        }
        if (msg.t === "READY") {
          ws.close();
          resolve({ closed: null, ready: true });
        }
      });
      ws.on("close", (code) => resolve({ closed: code, ready: false }));
    });
  }

  it("closes with 4014 on a privileged intent the application was not given", async () => {
    await start();
    const GUILD_MEMBERS = 1 << 1;
    expect(await identify(1 | GUILD_MEMBERS)).toEqual({ closed: 4014, ready: false });
    expect(await identify(1)).toEqual({ closed: null, ready: true });
  });

  it("lets a privileged intent through once it is switched on", async () => {
    await start({ privilegedIntents: 1 << 1 });
    expect(await identify(1 | (1 << 1))).toEqual({ closed: null, ready: true });
  });
});
