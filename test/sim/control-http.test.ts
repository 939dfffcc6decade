import { describe, expect, it } from "vitest";
import { JOURNAL, type SimState, startControlServer } from "../../src/sim/index.js";
import { onCleanup, startSim } from "./helpers.js";

const exits = JOURNAL.puts[0].exits;

type Reply = { error: string } & Record<string, unknown>;

async function control() {
  const sim = await startSim();
  const server = await startControlServer(sim);
  onCleanup(() => server.close());
  const base = `http://127.0.0.1:${server.port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Reply };
  };
  return { sim, call };
}

describe("HTTP control API", () => {
  it("serves state, faults, cancels, fills and prices", async () => {
    const { sim, call } = await control();
    const state = await call("GET", "/state");
    expect(state.status).toBe(200);
    const s = state.json as unknown as SimState;
    expect(s.account).toBe("DU1234567");
    expect(s.positions.map((p) => p.strike)).toEqual(JOURNAL.puts.map((p) => p.strike));
    expect(s.openOrders.map((o) => o.orderRef)).toEqual([exits.tpRef, exits.slRef]);

    expect((await call("POST", "/fault", { type: "stall", what: ["positions"] })).status).toBe(200);
    expect(sim.modes.stall).toEqual(["positions"]);
    expect((await call("POST", "/fault", { type: "farm-broken" })).json.fault).toEqual({
      type: "farm-broken",
      farm: "market",
    });
    expect((await call("POST", "/fault", { type: "clear" })).status).toBe(200);
    expect(sim.modes.stall).toEqual([]);

    const fill = await call("POST", "/fill", { orderRef: exits.tpRef });
    expect(fill.status).toBe(200);
    expect(fill.json.execution).toMatchObject({ orderId: exits.tpOrderId, price: exits.tp, side: "BOT" });
    const cancelled = await call("POST", "/cancel", { orderId: exits.slOrderId });
    expect(cancelled.status).toBe(409);
    expect(cancelled.json.error).toContain("no live order");

    const price = await call("POST", "/price", { symbol: "SPY", price: 600 });
    expect(price.json).toEqual({ ok: true, spot: { SPY: 600 } });
    expect(sim.state().spot.SPY).toBe(600);
  });

  it("answers bad requests with 400 and a message that says what to fix", async () => {
    const { call } = await control();
    const unknownFault = await call("POST", "/fault", { type: "explode" });
    expect(unknownFault.status).toBe(400);
    expect(unknownFault.json.error).toMatch(/invalid body: .*type/s);
    expect(unknownFault.json.error).toContain('{"type":"hang"}');
    const emptyStall = await call("POST", "/fault", { type: "stall", what: [] });
    expect(emptyStall.status).toBe(400);
    expect((await call("POST", "/fault", "{not json")).json).toEqual({ error: "the body must be JSON" });
    expect((await call("POST", "/fill", { orderId: "seven" })).status).toBe(400);
    expect((await call("POST", "/price", { symbol: "SPY" })).json.error).toContain("price");
    expect((await call("POST", "/price", { symbol: "QQQ", price: 1 })).status).toBe(409);
    expect((await call("POST", "/cancel", {})).status).toBe(400);
    const missing = await call("GET", "/nope");
    expect(missing.status).toBe(404);
    expect(missing.json.error).toContain("GET /state");
  });
});
