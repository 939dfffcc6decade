import { afterEach, describe, expect, it } from "vitest";
import { AlertDispatcher, type OutboxItem } from "../../src/bot/alert-dispatcher.js";
import { silentLogger } from "../../src/log.js";
import { alerts as alertRepo } from "../../src/store/index.js";
import { type Alert, severityOf } from "../../src/trading/alerts.js";
import { type Bot, OPERATOR, SECOND_OPERATOR, startBot } from "./harness.js";

const SUPPRESS_NOTIFICATIONS = 1 << 12;
let nextId = 1;
function item(alert: Alert): OutboxItem {
  return { id: nextId++, alert, severity: severityOf(alert), createdAt: new Date("2026-02-04T14:35:00Z") };
}

const DISCONNECTED: Alert = {
  type: "disconnected",
  reason: "socket closed by the gateway",
  advice: "Check the gateway.",
};
const CONNECTED: Alert = {
  type: "connected",
  endpoint: "ib-gateway:4004",
  serverVersion: 176,
  accounts: ["DU1234567"],
};
const STALE: Alert = { type: "stale", part: "positions", ageMs: 300_000, limitMs: 120_000 };

describe("alerts posted to the channel", () => {
  let bot: Bot;
  afterEach(() => bot?.close());

  it("posts an urgent alert as a red embed with the mode, pinging the allowed users", async () => {
    bot = await startBot({ mode: "live", config: { allowedUserIds: [OPERATOR, SECOND_OPERATOR] } });
    const ref = await bot.chat.deliver(item(DISCONNECTED));

    const [post] = bot.fake.channelPosts();
    expect(ref).toBe(post?.message.id);
    expect(post?.request.headers.authorization).toBe(`Bot ${bot.fake.token}`);
    // A phone shows the content, not the embed: it names the alert.
    expect(post?.body.content).toBe(`<@${OPERATOR}> <@${SECOND_OPERATOR}> LIVE: Gateway disconnected`);
    expect((post?.body.flags ?? 0) & SUPPRESS_NOTIFICATIONS).toBe(0);
    expect(post?.body.allowed_mentions).toEqual({ parse: [], users: [OPERATOR, SECOND_OPERATOR] });
    expect(post?.body.embeds?.[0]).toMatchObject({
      author: { name: "LIVE" },
      title: "Gateway disconnected",
      description: "Socket closed by the gateway. Check the gateway.",
      color: 0xe74c3c,
    });
  });

  it("pings the alert role instead when DISCORD_ALERT_ROLE_ID is set", async () => {
    bot = await startBot({ config: (fake) => ({ alertRoleId: fake.ids.roles.alerts }) });
    await bot.chat.deliver(item(DISCONNECTED));

    const role = bot.fake.ids.roles.alerts;
    const [post] = bot.fake.channelPosts();
    expect(post?.body.content).toBe(`<@&${role}> PAPER: Gateway disconnected`);
    expect(post?.body.allowed_mentions).toEqual({ parse: [], roles: [role] });
  });

  it("a stop-loss at a loss is an amber warning marked ▼, never a check mark", async () => {
    bot = await startBot({ mode: "paper" });
    const stop: Alert = {
      type: "fill",
      intent: "sl",
      contract: "SPY 624P 2026-04-30",
      side: "BOT",
      quantity: 1,
      price: 38.54,
      positionId: 18,
      orderRef: "tw:sl:18",
      pnl: -3238.38,
    };
    await bot.chat.deliver(item(stop));
    const [post] = bot.fake.channelPosts();
    expect(post?.body.embeds?.[0]).toMatchObject({
      title: "Stop-loss filled: SPY 624P 2026-04-30",
      color: 0xf39c12,
    });
    expect(post?.body.embeds?.[0]?.footer?.text).toMatch(/^▼ warning · alert #\d+$/);
    expect(JSON.stringify(post?.body)).not.toMatch(/✓|✅/);
  });

  it("posts info and warnings without pinging anyone", async () => {
    bot = await startBot({ mode: "paper" });
    await bot.chat.deliver(item(CONNECTED));
    await bot.chat.deliver(item(STALE));

    const [info, warning] = bot.fake.channelPosts();
    for (const post of [info, warning]) {
      expect(post?.body.content ?? "").toBe("");
      // Posted without a push notification.
      expect(post?.message.flags).toBe(SUPPRESS_NOTIFICATIONS);
      expect(post?.body.allowed_mentions).toEqual({ parse: [] });
      expect(post?.body.embeds?.[0]?.author?.name).toBe("PAPER");
    }
    expect(info?.body.embeds?.[0]).toMatchObject({ title: "Connected to the gateway", color: 0x3498db });
    expect(warning?.body.embeds?.[0]).toMatchObject({ title: "Stale positions data", color: 0xf39c12 });
  });

  it("still posts exactly once when the channel answers 429 first (discord.js waits and retries)", async () => {
    bot = await startBot();
    bot.fake.inject429(`POST /channels/${bot.fake.ids.channel}/messages`, 0.05, 1);
    const ref = await bot.chat.deliver(item(DISCONNECTED));

    const attempts = bot.fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages"));
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(bot.fake.channelPosts().map((p) => p.message.id)).toEqual([ref]);
  });

  it("throws while the channel fails with 5xx, so the outbox keeps the alert, and posts on a later call", async () => {
    bot = await startBot();
    // discord.js retries a 5xx three times itself; four failures make the call fail.
    bot.fake.inject5xx(`POST /channels/${bot.fake.ids.channel}/messages`, 4);
    await expect(bot.chat.deliver(item(DISCONNECTED))).rejects.toThrow();
    expect(bot.fake.channelPosts()).toHaveLength(0);

    await bot.chat.deliver(item(DISCONNECTED));
    expect(bot.fake.channelPosts()).toHaveLength(1);
  });

  it("an urgent alert without anyone to ping still names the alert in its content", async () => {
    bot = await startBot({ mode: "live", config: { allowedUserIds: [], allowedRoleId: undefined } });
    await bot.chat.deliver(item(DISCONNECTED));
    const [post] = bot.fake.channelPosts();
    expect(post?.body.content).toBe("LIVE: Gateway disconnected");
    expect(post?.body.allowed_mentions).toEqual({ parse: [] });
  });

  it("posts one message when Discord stores the post but the answer is lost (nonce with enforce_nonce)", async () => {
    bot = await startBot();
    const posts = `POST /channels/${bot.fake.ids.channel}/messages`;
    // The answer and the adapter's immediate second try are both lost; the outbox tries again later.
    bot.fake.loseAnswers(posts, 2);
    const alert = item(DISCONNECTED);
    await expect(bot.chat.deliver(alert)).rejects.toThrow();
    const ref = await bot.chat.deliver(alert);

    const inChannel = bot.fake.channelMessages();
    expect(inChannel).toHaveLength(1);
    expect(inChannel[0]?.id).toBe(ref);
    expect(inChannel[0]?.embeds[0]?.footer?.text).toBe(`‼ urgent · alert #${alert.id}`);
    const attempts = bot.fake.requests.filter((r) => `${r.method} ${r.path}` === posts);
    expect(attempts).toHaveLength(3);
    for (const r of attempts) expect(r.body).toMatchObject({ nonce: `tw-a${alert.id}`, enforce_nonce: true });
  });

  it("throws when the connection is dropped without an answer", async () => {
    bot = await startBot();
    bot.fake.failAllPosts(true, "reset");
    await expect(bot.chat.deliver(item(CONNECTED))).rejects.toThrow();
    bot.fake.failAllPosts(false);
    await bot.chat.deliver(item(CONNECTED));
    expect(bot.fake.channelPosts()).toHaveLength(1);
  });

  it("keeps an alert raised during an outage in the outbox and delivers it once afterwards", async () => {
    bot = await startBot();
    const dispatcher = new AlertDispatcher({
      db: bot.store.db,
      outbox: bot.outbox,
      chat: bot.chat,
      clock: bot.clock,
      logger: silentLogger,
      retryBaseMs: 1_000,
    });
    bot.fake.failAllPosts(true);
    await bot.outbox.raise([DISCONNECTED]);
    await dispatcher.pump();

    const [waiting] = await alertRepo.undeliveredAlerts(bot.store.db);
    expect(waiting).toMatchObject({ type: "disconnected", attempts: 1, delivered_at: null });
    expect(waiting?.last_error).toContain("503 Service Unavailable");

    bot.fake.failAllPosts(false);
    bot.clock.advance(60_000);
    await dispatcher.pump();

    const delivered = await alertRepo.alertById(bot.store.db, waiting!.id);
    const posts = bot.fake.channelPosts();
    expect(posts).toHaveLength(1);
    expect(delivered?.chat_ref).toBe(posts[0]?.message.id);
    await dispatcher.stop();
  });
});
