import cron from "node-cron";
import { afterEach, describe, expect, it } from "vitest";
import { entryRuns } from "../../src/store/index.js";
import { audited, posted } from "../approvals/harness.js";
import { openDays, type ScheduleWorld, scheduleWorld } from "./harness.js";

describe("EntryScheduler: the next entry and daylight saving", () => {
  let world: ScheduleWorld;
  afterEach(async () => {
    await world.scheduler.stop();
    await world.store.close();
  });

  it("goes from Friday after the entry to Monday 09:35", async () => {
    world = await scheduleWorld("2026-02-06T15:00:00Z");
    await openDays(world.store, ["2026-02-06", "2026-02-09"]);

    expect(await world.scheduler.nextEntry()).toBe("2026-02-09T14:35:00.000Z");
    expect(await world.scheduler.nextEntry(new Date("2026-02-06T14:00:00Z"))).toBe(
      "2026-02-06T14:35:00.000Z",
    );
  });

  it("skips a holiday the calendar knows (Presidents' Day)", async () => {
    world = await scheduleWorld("2026-02-13T16:00:00Z");
    await openDays(world.store, ["2026-02-13", "2026-02-17"], ["2026-02-16"]);

    expect(await world.scheduler.nextEntry()).toBe("2026-02-17T14:35:00.000Z");
  });

  it("fires at 09:35 New York after the switch to daylight time (13:35Z, not 14:35Z)", async () => {
    world = await scheduleWorld("2026-03-06T15:00:00Z");
    await openDays(world.store, ["2026-03-06", "2026-03-09"]);

    expect(await world.scheduler.nextEntry()).toBe("2026-03-09T13:35:00.000Z");

    world.clock.set("2026-03-09T13:35:00Z");
    await world.scheduler.runAt(world.clock.now());
    expect(world.runner.placed).toEqual([{ tradingDay: "2026-03-09", actor: "schedule" }]);
    expect(await entryRuns.entryRun(world.store.db, "spy-put", "2026-03-09")).toMatchObject({
      status: "placed",
    });
  });
});

describe("EntryScheduler: the 09:00 pre-flight", () => {
  let world: ScheduleWorld;
  afterEach(async () => {
    await world.scheduler.stop();
    await world.store.close();
  });

  const AT_0900 = new Date("2026-02-04T14:00:00Z");

  it("posts nothing when all is well, but audits the check", async () => {
    world = await scheduleWorld("2026-02-04T14:00:00Z");
    await openDays(world.store, ["2026-02-04"]);

    expect(await world.scheduler.preflightAt(AT_0900)).toEqual([]);
    expect(await posted(world.store)).toEqual([]);
    expect(await audited(world.store, "schedule.preflight")).toHaveLength(1);
  });

  it("posts the problems early: gateway down and no calendar", async () => {
    world = await scheduleWorld("2026-02-04T14:00:00Z");
    world.connection.set("disconnected", "connection refused");

    const problems = await world.scheduler.preflightAt(AT_0900);

    expect(problems).toEqual([
      "trading calendar unknown (never fetched from the broker): today's entry will be marked missed",
      "gateway disconnected: connection refused: the entry cannot be placed until it is back",
    ]);
    expect(await posted(world.store)).toEqual([
      {
        type: "preflight-problems",
        severity: "warning",
        payload: {
          type: "preflight-problems",
          tradingDay: "2026-02-04",
          entryAt: "2026-02-04T14:35:00.000Z",
          problems,
        },
      },
    ]);
  });

  it("passes on what the entry's dry run finds", async () => {
    world = await scheduleWorld("2026-02-04T14:00:00Z");
    await openDays(world.store, ["2026-02-04"]);
    world.runner.preflightProblems = ["buying power 4,100 USD is below the 62,400 USD the put needs"];

    expect(await world.scheduler.preflightAt(AT_0900)).toEqual([
      "buying power 4,100 USD is below the 62,400 USD the put needs",
    ]);
    expect(await posted(world.store, "preflight-problems")).toHaveLength(1);
  });

  it("says nothing on a holiday", async () => {
    world = await scheduleWorld("2026-02-16T14:00:00Z");
    await openDays(world.store, [], ["2026-02-16"]);
    world.connection.set("disconnected", "connection refused");

    expect(await world.scheduler.preflightAt(new Date("2026-02-16T14:00:00Z"))).toEqual([]);
    expect(await posted(world.store)).toEqual([]);
  });
});

describe("EntryScheduler: cron wiring", () => {
  it("schedules the entry and pre-flight crons in New York time, and removes them on stop", async () => {
    const world = await scheduleWorld("2026-02-04T14:00:00Z");
    await world.scheduler.stop();
    const before = new Set(cron.getTasks().keys());

    world.scheduler.start();
    const added = [...cron.getTasks().values()].filter((task) => !before.has(task.id));
    expect(added.map((task) => [task.name, task.getPattern()]).sort()).toEqual([
      ["entry-preflight", "0 9 * * 1-5"],
      ["scheduled-entry", "35 9 * * 1-5"],
    ]);
    const entryTask = added.find((task) => task.name === "scheduled-entry");
    expect(entryTask?.match(new Date("2026-03-09T13:35:00Z"))).toBe(true);
    expect(entryTask?.match(new Date("2026-03-09T14:35:00Z"))).toBe(false);

    await world.scheduler.stop();
    expect(added.filter((task) => cron.getTasks().has(task.id))).toEqual([]);
    await world.store.close();
  });
});
