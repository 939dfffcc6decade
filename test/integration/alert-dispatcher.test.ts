import { afterEach, describe, expect, it } from "vitest";
import { AlertDispatcher } from "../../src/bot/alert-dispatcher.js";
import { ManualClock } from "../../src/clock.js";
import { silentLogger } from "../../src/log.js";
import { type DatabaseHandle, openDatabase } from "../../src/store/index.js";
import { AlertOutbox } from "../../src/trading/alert-outbox.js";
import { RecordingChat } from "../support/world.js";

let store: DatabaseHandle;
afterEach(async () => {
  await store?.close();
});

async function rig() {
  store = await openDatabase(":memory:");
  const clock = new ManualClock();
  const outbox = new AlertOutbox(store.db, clock);
  const chat = new RecordingChat();
  const make = () => new AlertDispatcher({ db: store.db, outbox, chat, clock, logger: silentLogger });
  return { clock, outbox, chat, make };
}

const stale = (part: "positions" | "orders" | "account") => ({
  type: "stale" as const,
  part,
  ageMs: 1,
  limitMs: 1,
});

describe("AlertDispatcher", () => {
  it("delivers at once when an alert is enqueued", async () => {
    const { outbox, chat, make } = await rig();
    const d = make();
    d.start();
    await outbox.raise([stale("positions")]);
    await d.pump();
    expect(chat.delivered.map((i) => i.alert)).toEqual([stale("positions")]);
    await d.stop();
  });

  it("keeps order across a failing chat: nothing overtakes the alert that failed", async () => {
    const { clock, outbox, chat, make } = await rig();
    const d = make();
    d.start();
    chat.failing = true;
    await outbox.raise([stale("positions")]);
    await d.pump();
    chat.failing = false;
    await outbox.raise([stale("orders")]);
    await d.pump();
    expect(chat.delivered).toEqual([]);
    clock.advance(60_000);
    await d.pump();
    expect(chat.delivered.map((i) => i.alert)).toEqual([stale("positions"), stale("orders")]);
    clock.advance(600_000);
    await d.pump();
    expect(chat.delivered).toHaveLength(2);
    await d.stop();
  });

  it("delivers what a previous run left undelivered, once, after a restart", async () => {
    const { clock, outbox, chat, make } = await rig();
    const first = make();
    first.start();
    chat.failing = true;
    await outbox.raise([stale("account"), stale("orders")]);
    await first.pump();
    await first.stop();
    chat.failing = false;
    const second = make();
    second.start();
    clock.advance(60_000);
    await second.pump();
    await second.pump();
    expect(chat.delivered.map((i) => i.alert)).toEqual([stale("account"), stale("orders")]);
    await second.stop();
  });
});
