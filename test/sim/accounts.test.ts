import { type Contract, EventName, type Order, OrderAction, OrderType } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId } from "../../src/sim/index.js";
import { connectIbApi, startSim, TEST_NOW } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);
const CONID = optionConId(EXPIRY, 600, "P");
const PUT_600: Contract = { conId: CONID, exchange: "SMART" };
const ACCOUNTS = ["DU1234567", "DU7654321"];
const sellMarket = (account: string) =>
  ({
    action: OrderAction.SELL,
    orderType: OrderType.MKT,
    totalQuantity: 1,
    tif: "DAY",
    transmit: true,
    account,
  }) as Order;

describe("several accounts under one login", () => {
  it("lists every account; positions are per account; an order needs its account (436), a managed one (201)", async () => {
    const sim = await startSim({ accounts: ACCOUNTS });
    const c = await connectIbApi(sim, 7);
    const [managed] = await c.next(EventName.managedAccounts);
    expect(managed).toBe("DU1234567,DU7654321");
    expect(sim.state().accounts).toEqual(ACCOUNTS);

    c.ib.placeOrder(1_000_000, PUT_600, sellMarket(""));
    const e436 = await c.errors.waitFor((e) => e.reqId === 1_000_000, "436");
    expect(e436).toMatchObject({
      code: 436,
      message: "You must specify an allocation (either a single account, group, or profile).",
    });
    c.ib.placeOrder(1_000_001, PUT_600, sellMarket("DU9999999"));
    const e201 = await c.errors.waitFor((e) => e.reqId === 1_000_001, "201");
    expect(e201.code).toBe(201);
    expect(e201.message).toContain("Invalid account code DU9999999");
    expect(sim.state().orders).toHaveLength(2); // the seed's exits only

    c.ib.placeOrder(1_000_002, PUT_600, sellMarket("DU7654321"));
    await c.next(EventName.orderStatus, (id, s) => id === 1_000_002 && s === "Filled");
    c.ib.reqPositions();
    await c.next(EventName.positionEnd);
    const rows = c.all(EventName.position).map(([account, k, pos]) => [account, (k as Contract).strike, pos]);
    expect(rows).toEqual([...JOURNAL.puts.map((p) => ["DU1234567", p.strike, -1]), ["DU7654321", 600, -1]]);

    c.ib.reqAccountSummary(9, "All", "TotalCashValue");
    await c.next(EventName.accountSummaryEnd, (reqId) => reqId === 9);
    const cash = c.all(EventName.accountSummary).map(([, account, tag]) => [account, tag]);
    expect(cash).toEqual([
      ["DU1234567", "TotalCashValue"],
      ["DU7654321", "TotalCashValue"],
    ]);
    const byAccount = sim.state().accountValuesByAccount;
    expect(byAccount.DU7654321?.TotalCashValue).toBeGreaterThan(byAccount.DU1234567?.TotalCashValue ?? 0);
  });

  it("with one account an empty account field means that account", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 7);
    c.ib.placeOrder(5, PUT_600, sellMarket(""));
    await c.next(EventName.orderStatus, (id, s) => id === 5 && s === "Filled");
    expect(sim.state().positions).toMatchObject([{ account: "DU1234567", conId: CONID, pos: -1 }]);
    expect(() =>
      sim.placeOrder({ conId: CONID, action: "BUY", quantity: 1, orderType: "MKT", account: "X" }),
    ).toThrow(/201 .*Invalid account code X/);
  });
});
