/** IB's account summary tags (AccountSummaryTags) and the account-update keys, from the model's values. */
import type { AccountValues } from "./accounting.js";

export interface TagValue {
  tag: string;
  value: string;
  /** "USD" for money, "" for ratios, counts and text. */
  currency: string;
}

const money = (tag: string, v: number): TagValue => ({ tag, value: v.toFixed(2), currency: "USD" });
const plain = (tag: string, value: string): TagValue => ({ tag, value, currency: "" });

/** Every tag reqAccountSummary documents, in IB's order, for one account. */
export function summaryTags(v: AccountValues, cash: number): TagValue[] {
  const netLiq = v.NetLiquidation;
  const ratio = (x: number) => (netLiq === 0 ? "0" : (x / netLiq).toFixed(6));
  return [
    plain("AccountType", "INDIVIDUAL"),
    money("NetLiquidation", netLiq),
    money("TotalCashValue", v.TotalCashValue),
    money("SettledCash", cash),
    money("AccruedCash", 0),
    money("BuyingPower", v.BuyingPower),
    money("EquityWithLoanValue", netLiq),
    money("PreviousDayEquityWithLoanValue", netLiq),
    money("GrossPositionValue", v.GrossPositionValue),
    money("RegTEquity", netLiq),
    money("RegTMargin", v.InitMarginReq),
    money("SMA", Math.max(0, netLiq - v.InitMarginReq)),
    money("InitMarginReq", v.InitMarginReq),
    money("MaintMarginReq", v.MaintMarginReq),
    money("AvailableFunds", v.AvailableFunds),
    money("ExcessLiquidity", v.ExcessLiquidity),
    plain("Cushion", ratio(v.ExcessLiquidity)),
    money("FullInitMarginReq", v.InitMarginReq),
    money("FullMaintMarginReq", v.MaintMarginReq),
    money("FullAvailableFunds", v.AvailableFunds),
    money("FullExcessLiquidity", v.ExcessLiquidity),
    plain("LookAheadNextChange", "0"),
    money("LookAheadInitMarginReq", v.InitMarginReq),
    money("LookAheadMaintMarginReq", v.MaintMarginReq),
    money("LookAheadAvailableFunds", v.AvailableFunds),
    money("LookAheadExcessLiquidity", v.ExcessLiquidity),
    plain("HighestSeverity", "0"),
    plain("DayTradesRemaining", "-1"),
    plain("DayTradesRemainingT+1", "-1"),
    plain("DayTradesRemainingT+2", "-1"),
    plain("DayTradesRemainingT+3", "-1"),
    plain("DayTradesRemainingT+4", "-1"),
    plain("Leverage", ratio(v.GrossPositionValue)),
  ];
}

/** Other spellings clients use for a tag (IB's own doc once wrote ReqT*, ib_insync PreviousEquity...). */
export const TAG_ALIASES: Record<string, string> = {
  ReqTEquity: "RegTEquity",
  ReqTMargin: "RegTMargin",
  PreviousEquityWithLoanValue: "PreviousDayEquityWithLoanValue",
};
