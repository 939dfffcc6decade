import type { APIEmbed } from "discord.js";
import { describe, expect, it } from "vitest";
import {
  embedLength,
  fitEmbed,
  fitMessage,
  joinLines,
  LIMITS,
  truncate,
} from "../../src/bot/discord/limits.js";

describe("truncate", () => {
  it.each([
    ["short", 10, "short"],
    ["exactly10!", 10, "exactly10!"],
    ["eleven char", 10, "eleven ch…"],
    ["anything", 0, ""],
  ])("%j to %i -> %j", (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });
});

describe("joinLines", () => {
  const lines = Array.from({ length: 100 }, (_, i) => `position ${i + 1}: SELL 1 SPY 624P`);

  it("keeps everything that fits", () => {
    expect(joinLines(lines.slice(0, 3), 4096)).toBe(lines.slice(0, 3).join("\n"));
  });

  it("keeps whole lines and says how many more there are", () => {
    const text = joinLines(lines, 200);
    expect(text.length).toBeLessThanOrEqual(200);
    const kept = text.split("\n");
    expect(kept.at(-1)).toBe(`…and ${100 - (kept.length - 1)} more`);
    expect(kept.slice(0, -1)).toEqual(lines.slice(0, kept.length - 1));
  });

  it("keeps the last line when it fits even without room for a 'more' line", () => {
    expect(joinLines(["aaaa", "bbbb"], 9)).toBe("aaaa\nbbbb");
  });
});

describe("fitEmbed", () => {
  it("cuts each part to its limit", () => {
    const e = fitEmbed({
      title: "t".repeat(300),
      description: "d".repeat(5000),
      footer: { text: "f".repeat(10) },
      fields: [{ name: "n".repeat(300), value: "v".repeat(2000) }],
    });
    expect(e.title).toHaveLength(LIMITS.title);
    expect(e.fields?.[0]?.name).toHaveLength(LIMITS.fieldName);
    expect(e.fields?.[0]?.value).toHaveLength(LIMITS.fieldValue);
    expect(embedLength(e)).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it("keeps 24 of too many fields and says how many are hidden", () => {
    const fields = Array.from({ length: 40 }, (_, i) => ({ name: `#${i}`, value: "x" }));
    const e = fitEmbed({ fields });
    expect(e.fields).toHaveLength(25);
    expect(e.fields?.at(-1)).toEqual({ name: "…", value: "16 more not shown" });
  });

  it("stays within 6000 characters in all: the description shrinks to 1024, then the last fields go", () => {
    const fields = Array.from({ length: 25 }, (_, i) => ({ name: `field ${i}`, value: "v".repeat(1000) }));
    const e = fitEmbed({ title: "Positions", description: "d".repeat(4000), fields });
    expect(embedLength(e)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(e.description).toHaveLength(1024);
    expect(e.fields?.map((f) => f.name)).toEqual(["field 0", "field 1", "field 2", "field 3"]);
  });

  it("shrinks only the description when that is enough", () => {
    const e = fitEmbed(
      { description: "d".repeat(4000), fields: [{ name: "a", value: "v".repeat(1000) }] },
      3000,
    );
    expect(embedLength(e)).toBe(3000);
    expect(e.fields).toHaveLength(1);
  });

  it("drops the description rather than sending it empty", () => {
    const e = fitEmbed({ title: "t".repeat(100), description: "d".repeat(200) }, 100);
    expect(e).toEqual({ title: "t".repeat(100) });
  });

  it("leaves an embed within the limits as it was", () => {
    const embed: APIEmbed = { title: "ok", description: "fine", fields: [{ name: "a", value: "b" }] };
    expect(fitEmbed(embed)).toEqual(embed);
  });
});

describe("fitMessage", () => {
  it("cuts content to 2000, keeps 10 embeds and 6000 characters across them", () => {
    const embeds = Array.from({ length: 12 }, () => ({ description: "d".repeat(1000) }));
    const m = fitMessage({ content: "c".repeat(2500), embeds });
    expect(m.content).toHaveLength(LIMITS.content);
    expect(m.embeds?.length).toBeLessThanOrEqual(LIMITS.embeds);
    expect(m.embeds?.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
  });
});
