import { EventName } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { encodeHandshake } from "../../src/sim/framing.js";
import { connectIbApi, connectRaw, simEvent, startSim, TEST_NOW } from "./helpers.js";

describe("handshake and session", () => {
  it("negotiates server version 193, sends the managed account, nextValidId and the farms as a current build does", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 3);
    expect(c.ib.serverVersion).toBe(193);
    expect(c.all(EventName.managedAccounts)).toEqual([["DU1234567"]]);
    expect(c.all(EventName.nextValidId)).toEqual([[1]]);
    await c.infos.waitFor((i) => i.code === 2107, "2107");
    expect(c.infos.items.map((i) => i.code)).toEqual([2104, 2106, 2158, 2104, 2104, 2119, 2108, 2107]);
    expect(c.infos.items.map((i) => i.message)).toContain(
      "HMDS data farm connection is inactive but should be available upon demand.euhmds",
    );
    const names = c.events.items.map((e) => e.name).filter((n) => n !== "received" && n !== "sent");
    expect(names.indexOf(EventName.managedAccounts)).toBeLessThan(names.indexOf(EventName.nextValidId));
  });

  it("answers reqCurrentTime from the injected clock and reqIds with the next order id", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 3);
    c.ib.reqCurrentTime();
    const [time] = await c.next(EventName.currentTime);
    expect(time).toBe(Math.floor(TEST_NOW.getTime() / 1000));
    c.ib.reqIds();
    const ids = c.next(EventName.nextValidId, () => c.all(EventName.nextValidId).length === 2);
    expect((await ids)[0]).toBe(1);
  });

  it("keeps nextValidId above every order id a client id used, across reconnects", async () => {
    const sim = await startSim();
    const owner = await connectIbApi(sim, 7);
    expect(owner.all(EventName.nextValidId)).toEqual([[103]]);
    owner.ib.placeOrder(
      5000,
      { conId: sim.state().positions[1]!.conId, exchange: "SMART" },
      { action: "BUY" as never, orderType: "LMT" as never, lmtPrice: 0.5, totalQuantity: 1, transmit: true },
    );
    await owner.next(EventName.orderStatus, (id) => id === 5000);
    const gone = simEvent(sim, "disconnect");
    await owner.disconnect();
    await gone;
    const again = await connectIbApi(sim, 7);
    expect(again.all(EventName.nextValidId)).toEqual([[5001]]);
    const other = await connectIbApi(sim, 8);
    expect(other.all(EventName.nextValidId)).toEqual([[1]]);
  });

  it("rejects a second connection with a client id in use: 326 on info, then the socket closes", async () => {
    const sim = await startSim({ seed: "empty" });
    await connectIbApi(sim, 4);
    const second = await connectIbApi(sim, 4, { waitForNextValidId: false });
    const info = await second.infos.waitFor((i) => i.code === 326, "326");
    expect(info.message).toBe(
      "Unable to connect as the client id is already in use. Retry with a unique client id.",
    );
    await second.next(EventName.disconnected);
    expect(second.all(EventName.nextValidId)).toEqual([]);
    expect(sim.state().connections.filter((c) => c.clientId === 4 && c.phase === "ready")).toHaveLength(1);
  });

  it("closes a client whose lowest version is above its own and one that does not start with API\\0", async () => {
    const sim = await startSim({ seed: "empty", serverVersion: 187 });
    const tooNew = await connectRaw(sim, { handshake: encodeHandshake("v190..193") });
    await tooNew.closed;
    expect(tooNew.frames.items).toEqual([]);
    const junk = await connectRaw(sim, { handshake: Buffer.from("GET / HTTP/1.1\r\n\r\n") });
    await junk.closed;
    const ok = await connectIbApi(sim, 1);
    ok.ib.reqCurrentTime();
    await ok.next(EventName.currentTime);
  });

  it("reads a handshake whose length bytes contain NUL even when it arrives byte by byte", async () => {
    const sim = await startSim({ seed: "empty" });
    const raw = await connectRaw(sim, { handshake: Buffer.alloc(0) });
    for (const byte of encodeHandshake("v100..193")) raw.socket.write(Buffer.from([byte]));
    const [hello] = [await raw.frames.waitFor(() => true, "server version")];
    expect(hello[0]).toBe("193");
    expect(hello[1]).toMatch(/^20261120 10:00:00/);
  });

  it("answers garbage and unknown requests with an error and keeps serving", async () => {
    const sim = await startSim({ seed: "empty" });
    const raw = await connectRaw(sim);
    await raw.frames.waitFor((f) => f[0] === "193", "server version");
    raw.send([71, 2, 12, ""]);
    await raw.frames.waitFor((f) => f[0] === "9", "nextValidId");
    raw.send(["\u0001\u0002garbage", "x"]);
    const unknown = await raw.frames.waitFor((f) => f[0] === "4" && f[3] === "505", "505 for garbage");
    expect(unknown[2]).toBe("-1");
    raw.send([20, 1, 2, 3]);
    await raw.frames.waitFor((f) => f[0] === "4" && f[3] === "321", "321 for an unsupported request");
    raw.send([3, "abc"]);
    const malformed = await raw.frames.waitFor(
      (f) => f[0] === "4" && f[3] === "320",
      "320 for a malformed order",
    );
    expect(malformed[4]).toContain("orderId is not an integer");
    raw.send([3, 77, 1]);
    const short = await raw.frames.waitFor((f) => f[0] === "4" && f[2] === "77", "320 tied to order 77");
    expect(short[3]).toBe("320");
    raw.send([49, 1]);
    await raw.frames.waitFor((f) => f[0] === "49", "currentTime after garbage");
    const c = await connectIbApi(sim, 13);
    c.ib.reqCurrentTime();
    await c.next(EventName.currentTime);
  });

  it("closes only the connection whose frame length is impossible", async () => {
    const sim = await startSim({ seed: "empty" });
    const raw = await connectRaw(sim);
    await raw.frames.waitFor((f) => f[0] === "193", "server version");
    raw.socket.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]));
    await raw.closed;
    const c = await connectIbApi(sim, 2);
    c.ib.reqCurrentTime();
    await c.next(EventName.currentTime);
  });
});
