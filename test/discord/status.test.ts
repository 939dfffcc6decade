import { afterEach, describe, expect, it } from "vitest";
import { type Bot, OPERATOR, startBot } from "./harness.js";

describe("/status over Discord", () => {
  let bot: Bot;
  afterEach(() => bot?.close());

  it("defers, then edits the reply into an embed with the mode and the connection state", async () => {
    bot = await startBot({ mode: "paper" });
    const handle = bot.fake.slashCommand({ userId: OPERATOR, name: "status" });

    const callback = await handle.callback();
    expect(callback.body).toMatchObject({ type: 5 });
    const answer = await handle.answer();

    expect(answer.ephemeral).toBe(false);
    const [embed] = answer.embeds;
    expect(embed?.author?.name).toBe("PAPER");
    expect(embed?.title).toContain("DISCONNECTED");
    expect(embed?.description).toContain("not started");
    const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Gateway).toBe("127.0.0.1:4004, client id 7");
    expect(fields["Server version"]).toBe("unknown");
    expect(fields.Heartbeat).toBe("no reply yet");
    expect(fields["Data age"]).toContain("positions: unknown **STALE**");
    expect(fields.Positions).toContain("0 open in the journal");
  });
});
