import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { approvals as approvalRepo } from "../../src/store/index.js";
import { type ApprovalAlert, describeApprovalAlert } from "../../src/trading/approvals/approval-alerts.js";
import type { ApprovalRecord } from "../../src/trading/approvals/approval-record.js";
import { type ApprovalWorld, approvalWorld, audited, posted } from "./harness.js";

const TRADER = { actor: "discord:111111111111111111", authorized: true };
const OTHER = { actor: "discord:222222222222222222", authorized: true };

describe("ApprovalService", () => {
  let world: ApprovalWorld;
  let runs: ApprovalRecord[];

  beforeEach(async () => {
    world = await approvalWorld();
    runs = [];
    world.approvals.registerEffect("reattach", async (approval) => {
      runs.push(approval);
      return { text: "Exits re-attached to position 18.", data: { positionId: 18 } };
    });
  });
  afterEach(async () => {
    world.approvals.stop();
    await world.store.close();
  });

  const requestReattach = () =>
    world.approvals.request({
      kind: "reattach",
      payload: { positionId: 18 },
      requestedBy: "discord:111111111111111111",
      summary: "Re-attach TP 2.46 / SL 18.48 to SPY 624P 2026-04-30?",
    });

  it("posts the request with its buttons' nonce, and words that fit every chat (no buttons named)", async () => {
    const approval = await requestReattach();
    expect(approval.expires_at).toBe("2026-02-04T15:25:00.000Z");

    const [alert] = await posted(world.store, "approval-requested");
    expect(alert?.severity).toBe("urgent");
    expect(alert?.payload).toMatchObject({
      approvalId: approval.id,
      nonce: approval.nonce,
      kind: "reattach",
      summary: "Re-attach TP 2.46 / SL 18.48 to SPY 624P 2026-04-30?",
      expiresAt: "2026-02-04T15:25:00.000Z",
    });
    const { text } = describeApprovalAlert(alert?.payload as ApprovalAlert);
    expect(text).toBe("Re-attach TP 2.46 / SL 18.48 to SPY 624P 2026-04-30? Expires at 10:25 ET.");
    expect(await audited(world.store, "approval.requested")).toHaveLength(1);

    expect(await world.approvals.pending()).toEqual([
      expect.objectContaining({ id: approval.id, nonce: approval.nonce, summary: approval.summary }),
    ]);
  });

  it("runs the effect once on approve and records its outcome", async () => {
    const approval = await requestReattach();
    const result = await world.approvals.decide(approval.id, approval.nonce, "approve", TRADER);

    expect(result).toMatchObject({
      ok: true,
      outcome: "executed",
      text: "Exits re-attached to position 18.",
    });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.payload).toEqual({ positionId: 18 });
    const stored = await approvalRepo.approvalById(world.store.db, approval.id);
    expect(stored).toMatchObject({ status: "executed", decided_by: TRADER.actor });
    expect(stored?.result).toEqual({ text: "Exits re-attached to position 18.", data: { positionId: 18 } });

    const [decided] = await posted(world.store, "approval-decided");
    expect(decided?.payload).toMatchObject({
      verdict: "approve",
      decidedBy: TRADER.actor,
      outcome: "executed",
    });
    expect((await audited(world.store)).map((e) => e.action)).toEqual([
      "approval.requested",
      "approval.approved",
      "approval.executed",
    ]);

    const again = await world.approvals.decide(approval.id, approval.nonce, "approve", OTHER);
    expect(again).toMatchObject({ ok: false, reason: "already-decided", settled: true });
    expect(again.ok || again.message).toContain(`already approved by ${TRADER.actor}`);
    expect(runs).toHaveLength(1);
    expect(await world.approvals.pending()).toEqual([]);
  });

  it("lets exactly one of two simultaneous approvals run the effect", async () => {
    const approval = await requestReattach();
    const results = await Promise.all([
      world.approvals.decide(approval.id, approval.nonce, "approve", TRADER),
      world.approvals.decide(approval.id, approval.nonce, "approve", OTHER),
    ]);

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([expect.objectContaining({ reason: "already-decided" })]);
    expect(runs).toHaveLength(1);
    expect(await posted(world.store, "approval-decided")).toHaveLength(1);
  });

  it("lets one of a simultaneous approve and reject win, never both", async () => {
    const approval = await requestReattach();
    const results = await Promise.all([
      world.approvals.decide(approval.id, approval.nonce, "approve", TRADER),
      world.approvals.decide(approval.id, approval.nonce, "reject", OTHER),
    ]);

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const stored = await approvalRepo.approvalById(world.store.db, approval.id);
    expect(runs).toHaveLength(stored?.status === "executed" ? 1 : 0);
  });

  it("rejects without running the effect", async () => {
    const approval = await requestReattach();
    const result = await world.approvals.decide(approval.id, approval.nonce, "reject", TRADER);

    expect(result).toMatchObject({ ok: true, outcome: "rejected" });
    expect(runs).toEqual([]);
    expect((await approvalRepo.approvalById(world.store.db, approval.id))?.status).toBe("rejected");
    const [decided] = await posted(world.store, "approval-decided");
    expect(decided?.payload).toMatchObject({
      verdict: "reject",
      decidedBy: TRADER.actor,
      outcome: "rejected",
    });

    const late = await world.approvals.decide(approval.id, approval.nonce, "approve", OTHER);
    expect(late.ok || late.message).toContain(`already rejected by ${TRADER.actor}`);
  });

  it("refuses an expired approval, and expires it with an alert so its message is edited", async () => {
    const approval = await requestReattach();
    world.clock.advance(900_000);

    const result = await world.approvals.decide(approval.id, approval.nonce, "approve", TRADER);
    expect(result).toMatchObject({ ok: false, reason: "expired", settled: true });
    expect(result.ok || result.message).toContain("expired at 10:25");
    expect(runs).toEqual([]);
    expect((await approvalRepo.approvalById(world.store.db, approval.id))?.status).toBe("expired");
    const expired = await posted(world.store, "approval-expired");
    expect(expired.map((a) => a.payload)).toEqual([
      expect.objectContaining({ approvalId: approval.id, expiredAt: "2026-02-04T15:25:00.000Z" }),
    ]);

    await world.approvals.decide(approval.id, approval.nonce, "approve", TRADER);
    expect(await posted(world.store, "approval-expired")).toHaveLength(1);
  });

  it("expires due approvals on its timer", async () => {
    const approval = await requestReattach();
    world.approvals.start();
    world.clock.advance(930_000);

    await vi.waitFor(async () => expect(await posted(world.store, "approval-expired")).toHaveLength(1));
    expect((await approvalRepo.approvalById(world.store.db, approval.id))?.status).toBe("expired");
    expect(await audited(world.store, "approval.expired")).toHaveLength(1);
  });

  it("refuses a wrong (forged or stale) nonce and audits it, leaving the approval pending", async () => {
    const approval = await requestReattach();
    const result = await world.approvals.decide(approval.id, "0123456789abcdef", "approve", TRADER);

    expect(result).toMatchObject({ ok: false, reason: "wrong-nonce", settled: false });
    expect(runs).toEqual([]);
    expect((await approvalRepo.approvalById(world.store.db, approval.id))?.status).toBe("pending");
    expect(await audited(world.store, "approval.refused")).toEqual([
      {
        actor: TRADER.actor,
        action: "approval.refused",
        detail: expect.objectContaining({ reason: "wrong-nonce" }),
      },
    ]);
  });

  it("refuses an unknown approval", async () => {
    const result = await world.approvals.decide("zzzzzzzz", "0123456789abcdef", "approve", TRADER);
    expect(result).toMatchObject({ ok: false, reason: "not-found" });
  });

  it("refuses and audits a user who is not allowed, leaving the approval pending", async () => {
    const approval = await requestReattach();
    const stranger = { actor: "discord:333333333333333333", authorized: false };
    const result = await world.approvals.decide(approval.id, approval.nonce, "approve", stranger);

    expect(result).toMatchObject({ ok: false, reason: "not-authorized", settled: false });
    expect(runs).toEqual([]);
    expect((await approvalRepo.approvalById(world.store.db, approval.id))?.status).toBe("pending");
    expect(await audited(world.store, "approval.refused")).toEqual([
      {
        actor: stranger.actor,
        action: "approval.refused",
        detail: expect.objectContaining({ reason: "not-authorized", id: approval.id }),
      },
    ]);
  });

  it("records a failing effect as failed, with the reason in the alert", async () => {
    world.approvals.registerEffect("adopt", async () => {
      throw new Error("position 18 is no longer at the broker");
    });
    const approval = await world.approvals.request({
      kind: "adopt",
      payload: { conId: 812345678 },
      requestedBy: "console",
      summary: "Adopt SPY 624P 2026-04-30?",
    });
    const result = await world.approvals.decideFromConsole(approval.id, "approve");

    expect(result).toMatchObject({
      ok: true,
      outcome: "failed",
      text: "Failed: position 18 is no longer at the broker",
    });
    const stored = await approvalRepo.approvalById(world.store.db, approval.id);
    expect(stored).toMatchObject({ status: "failed", decided_by: "console" });
    const [decided] = await posted(world.store, "approval-decided");
    expect(decided?.payload).toMatchObject({ outcome: "failed", decidedBy: "console" });
  });

  it("caps the expiry at notAfter and refuses kinds nothing can act on", async () => {
    const approval = await world.approvals.request({
      kind: "reattach",
      payload: null,
      requestedBy: "schedule",
      summary: "Before the window ends",
      notAfter: new Date("2026-02-04T15:15:00Z"),
    });
    expect(approval.expires_at).toBe("2026-02-04T15:15:00.000Z");

    await expect(
      world.approvals.request({ kind: "entry", payload: null, requestedBy: "console", summary: "x" }),
    ).rejects.toThrow('No effect is registered for "entry" approvals');
  });
});
