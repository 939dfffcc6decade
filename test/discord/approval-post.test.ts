import { describe, expect, it } from "vitest";
import { closedPost, closingLine, decisionLine } from "../../src/bot/discord/approval-post.js";
import { approvalButtons } from "../../src/bot/discord/buttons.js";

const disabledFlags = (post: ReturnType<typeof closedPost>) =>
  post.components.map((row) =>
    "components" in row ? row.components.map((b) => "disabled" in b && b.disabled === true) : [],
  );

describe("closing an approval's post", () => {
  it("puts the decision under the embed and disables the buttons", () => {
    const post = { content: "", embeds: [{ title: "Entry?" }], components: [approvalButtons(5, "abc")] };
    const closed = closedPost(post, "5", "Rejected by <@1>: Nothing was done.");
    expect(closed.embeds[0]).toEqual({
      title: "Entry?",
      fields: [{ name: "Decision", value: "Rejected by <@1>: Nothing was done." }],
    });
    expect(disabledFlags(closed)).toEqual([[true, true]]);
  });

  it("in a list, touches only the approval's own embed and row", () => {
    const post = {
      content: "",
      embeds: [{ title: "a" }, { title: "b" }, { title: "c" }],
      components: [
        approvalButtons("a", "n", true),
        approvalButtons("b", "n", true),
        approvalButtons("c", "n", true),
      ],
    };
    const closed = closedPost(post, "b", "Approved by <@1>: done.");
    expect(closed.embeds.map((e) => e.fields?.[0]?.value)).toEqual([
      undefined,
      "Approved by <@1>: done.",
      undefined,
    ]);
    expect(disabledFlags(closed)).toEqual([
      [false, false],
      [true, true],
      [false, false],
    ]);
  });

  it("writing the same decision twice (the click, then its alert) leaves one Decision", () => {
    const post = { content: "", embeds: [{ title: "Entry?" }], components: [approvalButtons(5, "abc")] };
    const line = "Approved by <@1>: placed.";
    const twice = closedPost(closedPost(post, "5", line), "5", line);
    expect(twice.embeds[0]?.fields).toEqual([{ name: "Decision", value: line }]);
  });

  it("'keep' leaves a decision already shown and only disables the buttons", () => {
    const shown = {
      content: "",
      embeds: [{ title: "Entry?", fields: [{ name: "Decision", value: "Approved by console: placed." }] }],
      components: [approvalButtons(5, "abc")],
    };
    const closed = closedPost(shown, "5", "Approval 5 was already approved by console.", "keep");
    expect(closed.embeds[0]?.fields).toEqual([{ name: "Decision", value: "Approved by console: placed." }]);
    expect(disabledFlags(closed)).toEqual([[true, true]]);
  });

  it("names Discord users as mentions and anyone else as they are", () => {
    expect(decisionLine({ verdict: "approve", decidedBy: "discord:42", text: "Entry placed." })).toBe(
      "Approved by <@42>: Entry placed.",
    );
    expect(decisionLine({ verdict: "reject", decidedBy: "console", text: "Nothing was done." })).toBe(
      "Rejected by console: Nothing was done.",
    );
    const expired = closingLine({
      type: "approval-expired",
      approvalId: "x",
      kind: "entry",
      summary: "",
      expiredAt: "2026-02-04T14:45:00Z",
      chatRef: null,
    });
    expect(expired).toBe("Expired at 09:45 ET without a decision; nothing was done.");
  });
});
