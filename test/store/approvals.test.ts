import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  approvalById,
  createApproval,
  decideApproval,
  expireApprovals,
  explainUndecided,
  markApprovalOutcome,
  newApprovalId,
  pendingApprovals,
  setApprovalChatRef,
} from "../../src/store/approvals.js";
import { type DatabaseHandle, openDatabase } from "../../src/store/database.js";
import { at, memoryDatabase, T0 } from "./fixtures.js";

describe("approvals", () => {
  let store: DatabaseHandle;
  beforeEach(async () => {
    store = await memoryDatabase();
  });
  afterEach(() => store.close());

  const request = (id: string, expiresInS = 900) =>
    createApproval(
      store.db,
      {
        id,
        nonce: `nonce-${id}`,
        kind: "catch-up-entry",
        payload: { strategy: "spy-put", tradingDay: "2026-02-04" },
        requestedBy: "schedule",
        expiresAt: at(expiresInS),
      },
      T0,
    );

  it("creates a pending approval with a short random id and nonce", async () => {
    const approval = await createApproval(
      store.db,
      { kind: "reattach", payload: { positionId: 18 }, requestedBy: "discord:123", expiresAt: at(900) },
      T0,
    );
    expect(approval.id).toMatch(/^[a-z2-9]{8}$/);
    expect(approval.nonce).toMatch(/^[0-9a-f]{16}$/);
    expect(approval).toMatchObject({ status: "pending", payload: { positionId: 18 }, result: null });
    expect(await approvalById(store.db, approval.id)).toEqual(approval);
    expect(new Set(Array.from({ length: 100 }, () => newApprovalId())).size).toBe(100);
  });

  it("lets exactly one of two simultaneous decisions win", async () => {
    await request("abc123");
    const [a, b] = await Promise.all([
      decideApproval(store.db, "abc123", "nonce-abc123", "approved", "discord:1", at(10)),
      decideApproval(store.db, "abc123", "nonce-abc123", "rejected", "discord:2", at(10)),
    ]);
    const winners = [a, b].filter((d) => d !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ status: "approved", decided_by: "discord:1" });
    expect(winners[0]?.decided_at).toBe(at(10).toISOString());
    const after = await approvalById(store.db, "abc123");
    expect(explainUndecided(after, "nonce-abc123", at(11))).toBe("already-decided");
  });

  it("refuses a wrong nonce, an unknown id and an expired approval", async () => {
    await request("abc123", 60);
    expect(await decideApproval(store.db, "abc123", "forged", "approved", "discord:1", at(10))).toBeNull();
    expect(
      await decideApproval(store.db, "nope", "nonce-abc123", "approved", "discord:1", at(10)),
    ).toBeNull();
    expect(
      await decideApproval(store.db, "abc123", "nonce-abc123", "approved", "discord:1", at(60)),
    ).toBeNull();

    const approval = await approvalById(store.db, "abc123");
    expect(approval?.status).toBe("pending");
    expect(explainUndecided(approval, "forged", at(10))).toBe("wrong-nonce");
    expect(explainUndecided(undefined, "x", at(10))).toBe("not-found");
    expect(explainUndecided(approval, "nonce-abc123", at(60))).toBe("expired");
  });

  it("records the outcome of an approved request only", async () => {
    await request("abc123");
    expect(await markApprovalOutcome(store.db, "abc123", "executed", { orderRef: "x" })).toBeNull();
    await decideApproval(store.db, "abc123", "nonce-abc123", "approved", "console", at(1));
    const done = await markApprovalOutcome(store.db, "abc123", "executed", {
      orderRef: "tw:entry:2026-02-04:SPY-P",
    });
    expect(done).toMatchObject({ status: "executed", result: { orderRef: "tw:entry:2026-02-04:SPY-P" } });
  });

  it("expires overdue approvals once and lists the pending ones", async () => {
    await request("short", 60);
    await request("long", 900);
    await setApprovalChatRef(store.db, "short", "chan/msg");
    expect((await pendingApprovals(store.db, at(30))).map((a) => a.id)).toEqual(["short", "long"]);

    const expired = await expireApprovals(store.db, at(60));
    expect(expired.map((a) => [a.id, a.status, a.chat_ref])).toEqual([["short", "expired", "chan/msg"]]);
    expect(await expireApprovals(store.db, at(61))).toEqual([]);
    expect((await pendingApprovals(store.db, at(61))).map((a) => a.id)).toEqual(["long"]);
    expect(explainUndecided(await approvalById(store.db, "short"), "nonce-short", at(61))).toBe("expired");
  });

  it("has one winner when two connections to one file decide at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tradewarden-approvals-"));
    const path = join(dir, "test.db");
    const one = await openDatabase(path);
    const two = await openDatabase(path);
    try {
      await createApproval(
        one.db,
        { id: "abc123", nonce: "n", kind: "entry", payload: {}, requestedBy: "console", expiresAt: at(900) },
        T0,
      );
      const decisions = await Promise.all([
        decideApproval(one.db, "abc123", "n", "approved", "discord:1", at(1)),
        decideApproval(two.db, "abc123", "n", "approved", "discord:2", at(1)),
      ]);
      expect(decisions.filter((d) => d !== null)).toHaveLength(1);
    } finally {
      await one.close();
      await two.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
