import { afterEach, describe, expect, it } from "vitest";
import {
  AlertDispatcher,
  type ChatPort,
  DeliveryError,
  MAX_REFUSALS,
  type OutboxItem,
} from "../../src/bot/alert-dispatcher.js";
import { startHealthServer } from "../../src/bot/health-server.js";
import { statusLines } from "../../src/bot/status-text.js";
import { alerts as alertRepo } from "../../src/store/index.js";
import type { Alert } from "../../src/trading/alerts.js";
import { PERM } from "../support/fake-discord/index.js";
import { type Bot, startBot } from "./harness.js";

const DISCONNECTED: Alert = { type: "disconnected", reason: "socket closed", advice: "Check the gateway." };
const STALE: Alert = { type: "stale", part: "positions", ageMs: 300_000, limitMs: 120_000 };

let bot: Bot;
let dispatcher: AlertDispatcher | undefined;
let closeHealth: (() => Promise<void>) | undefined;
afterEach(async () => {
  await dispatcher?.stop();
  await closeHealth?.();
  await bot?.close();
  dispatcher = undefined;
  closeHealth = undefined;
});

function dispatch(b: Bot, chat: ChatPort = b.chat): AlertDispatcher {
  const d = new AlertDispatcher({
    db: b.store.db,
    outbox: b.outbox,
    chat,
    clock: b.clock,
    logger: b.logger,
  });
  b.ops.watchDelivery(d);
  return d;
}

describe("alert delivery faults at run time", () => {
  it("a 403 on the channel is a delivery fault in /healthz and /status, said loudly, retried until fixed", async () => {
    bot = await startBot();
    dispatcher = dispatch(bot);
    const health = await startHealthServer(bot.ops, "127.0.0.1", 0);
    closeHealth = health.close;
    bot.fake.denyBot(PERM.sendMessages);

    await bot.outbox.raise([DISCONNECTED]);
    await dispatcher.pump();
    bot.clock.advance(90_000);
    const healthz = await (await fetch(`http://127.0.0.1:${health.port}/healthz`)).json();
    expect(healthz).toMatchObject({ alertsDelivering: false, oldestUndeliveredAgeMs: 90_000 });
    const status = statusLines(await bot.ops.status());
    expect(status).toContainEqual(
      expect.stringMatching(
        /^Alerts: NOT DELIVERING: 1 waiting, the oldest for .*403 Missing Permissions \(50013\)/,
      ),
    );
    const loud = bot.logs.filter(
      (l) => l.level === 50 && String(l.msg).startsWith("ALERTS ARE NOT BEING DELIVERED"),
    );
    expect(loud).toHaveLength(1);

    bot.fake.denyBot(0n);
    bot.clock.advance(60_000);
    await dispatcher.pump();
    expect(bot.fake.channelMessages()).toHaveLength(1);
    expect(bot.ops.health()).toMatchObject({ alertsDelivering: true, oldestUndeliveredAgeMs: null });
  });

  it("an alert Discord keeps refusing is given up so the alerts behind it are delivered", async () => {
    bot = await startBot();
    const refusing: ChatPort = {
      deliver: (item: OutboxItem) =>
        item.alert.type === "stale"
          ? Promise.reject(new DeliveryError("400 Invalid Form Body (50035)", "alert"))
          : bot.chat.deliver(item),
    };
    dispatcher = dispatch(bot, refusing);
    await bot.outbox.raise([STALE]);
    await bot.outbox.raise([DISCONNECTED]);
    for (let i = 0; i < MAX_REFUSALS; i++) {
      await dispatcher.pump();
      bot.clock.advance(60_000);
    }
    await dispatcher.pump();

    expect(bot.fake.channelMessages().map((m) => m.embeds[0]?.title)).toEqual(["Gateway disconnected"]);
    expect(await alertRepo.undeliveredCount(bot.store.db)).toBe(0);
    expect(bot.logs.some((l) => String(l.msg).startsWith("ALERT NOT DELIVERED"))).toBe(true);
  });
});
