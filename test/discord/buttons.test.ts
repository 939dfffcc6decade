import { describe, expect, it } from "vitest";
import { type AccessConfig, authorize } from "../../src/bot/discord/authorize.js";
import { approvalButtons, buttonId, parseButtonId } from "../../src/bot/discord/buttons.js";

describe("approval button ids", () => {
  it("round-trips id, nonce and verdict", () => {
    expect(buttonId(42, "Zx9_-a", "approve")).toBe("ap:42:Zx9_-a:approve");
    expect(parseButtonId("ap:42:Zx9_-a:reject")).toEqual({
      approvalId: "42",
      nonce: "Zx9_-a",
      verdict: "reject",
    });
  });

  it.each([
    "",
    "ap:1:n",
    "ap:1:n:maybe",
    "xx:1:n:approve",
    "ap::n:approve",
    "ap:1:n:approve:extra",
    "ap:1:n n:approve",
  ])("rejects %j", (customId) => {
    expect(parseButtonId(customId)).toBeNull();
  });

  it("refuses ids that would not fit Discord's 100 characters or would not parse back", () => {
    expect(() => buttonId(1, "n".repeat(100), "approve")).toThrow(/100/);
    expect(() => buttonId("1:2", "n", "approve")).toThrow();
  });

  it("builds an Approve / Reject row", () => {
    const row = approvalButtons(5, "abc");
    expect(row.components.map((b) => ("custom_id" in b ? b.custom_id : null))).toEqual([
      "ap:5:abc:approve",
      "ap:5:abc:reject",
    ]);
  });
});

describe("authorize", () => {
  const config: AccessConfig = {
    guildId: "g",
    allowedUserIds: ["alice"],
    allowedRoleId: "ops",
    publicRead: true,
  };
  const cases: Array<[string, string, string[], string | null, boolean, boolean]> = [
    ["allow-listed user, action", "alice", [], "g", false, true],
    ["role holder, action", "bob", ["ops"], "g", false, true],
    ["role holder in another guild", "bob", ["ops"], "other", false, false],
    ["member, read-only with public read", "carol", [], "g", true, true],
    ["member, action with public read", "carol", [], "g", false, false],
    ["DM, read-only", "carol", [], null, true, false],
  ];
  it.each(cases)("%s", (_what, userId, roleIds, guildId, readOnly, allowed) => {
    expect(authorize(config, { userId, roleIds, guildId }, readOnly).allowed).toBe(allowed);
  });

  it("keeps read-only commands private without public read", () => {
    expect(
      authorize({ ...config, publicRead: false }, { userId: "carol", roleIds: [], guildId: "g" }, true)
        .allowed,
    ).toBe(false);
  });
});
