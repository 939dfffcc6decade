import { EventName } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { encodeHandshake } from "../../src/sim/framing.js";
import { connectIbApi, connectRaw, startSim } from "./helpers.js";

/** reqContractDetails for SPY stock, as a client at any version >= 176 writes it. */
const SPY_DETAILS = [9, 8, 5, 0, "SPY", "STK", "", 0, "", "", "SMART", "", "USD", "", "", 0, "", "", ""];

describe("the handshake as a real gateway answers it", () => {
  it.each([
    ["v100..176", 193, "176"], // IB's Python client 10.19
    ["v100..187", 193, "187"], // IB's Python client 10.37
    ["v157..178", 193, "178"], // ib_async 2.0
    ["v100..193", 193, "193"], // @stoqey/ib
    ["v100..200", 193, "193"], // a client newer than the gateway
    ["v100..193", 187, "187"], // the stable gateway channel
    ["v100..176", 187, "176"],
  ])("a client offering %s meets a gateway speaking up to %i: answered %s", async (offer, own, answer) => {
    const sim = await startSim({ seed: "empty", serverVersion: own });
    const raw = await connectRaw(sim, { handshake: encodeHandshake(offer) });
    const [hello] = [await raw.frames.waitFor(() => true, "server version")];
    expect(hello[0]).toBe(answer);
    raw.send([71, 2, 4, ""]);
    await raw.frames.waitFor((f) => f[0] === "9", "nextValidId");
    expect(sim.connections().find((c) => c.clientId === 4)?.version).toBe(Number(answer));
  });

  it("leaves out the fields added after the negotiated version (contract details: lastTradeDate 182, ineligibility 186)", async () => {
    const sim = await startSim({ seed: "empty" });
    const lengths: Record<string, number> = {};
    for (const offer of ["v100..193", "v100..181"]) {
      const raw = await connectRaw(sim, { handshake: encodeHandshake(offer) });
      await raw.frames.waitFor(() => true, "server version");
      raw.send([71, 2, offer === "v100..193" ? 21 : 22, ""]);
      await raw.frames.waitFor((f) => f[0] === "9", "nextValidId");
      raw.send(SPY_DETAILS);
      const row = await raw.frames.waitFor((f) => f[0] === "10", "contract data");
      lengths[offer] = row.length;
      raw.socket.destroy();
    }
    expect(lengths["v100..193"]! - lengths["v100..181"]!).toBe(2);
  });

  it("a gateway capped at 187 serves @stoqey/ib: orders, open orders and cancels decode with no 505", async () => {
    const sim = await startSim({ seed: "empty", serverVersion: 187 });
    const c = await connectIbApi(sim, 6);
    expect(c.ib.serverVersion).toBe(187);
    const contract = {
      conId: sim.market.byConId(756733)?.conId,
      symbol: "SPY",
      secType: "STK",
      exchange: "SMART",
      currency: "USD",
    };
    c.ib.placeOrder(
      50,
      contract as never,
      {
        action: "BUY",
        orderType: "LMT",
        totalQuantity: 1,
        lmtPrice: 1,
        tif: "DAY",
        transmit: true,
      } as never,
    );
    await c.next(EventName.openOrder, (id) => id === 50);
    c.ib.cancelOrder(50);
    await c.next(EventName.orderStatus, (id, status) => id === 50 && status === "Cancelled");
    expect(c.errors.items.filter((e) => e.code === 505 || e.code === 320)).toEqual([]);
  });
});
