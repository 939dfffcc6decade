/**
 * COMPLETED_ORDER (101), at the negotiated server version: the reads of decodeMsg_COMPLETED_ORDER in decoder.js
 * (no order id, no client id; an OrderDecoder at version MAX), one line per reader.
 */
import type { Fields } from "./encode.js";
import { since } from "./framing.js";
import { IN } from "./msg-ids.js";
import type { SimOrder } from "./types.js";
import { MIN } from "./versions.js";

export function completedOrder(o: SimOrder, completedTime: string): Fields {
  const c = o.contract;
  return [
    IN.COMPLETED_ORDER,
    ...[c.conId, c.symbol, c.secType, c.expiry, c.strike, c.right, c.secType === "OPT" ? c.multiplier : ""],
    ...[c.exchange, c.currency, c.localSymbol, c.tradingClass], // readContractFields
    ...[o.action, o.totalQuantity, o.orderType, o.lmtPrice ?? "", o.auxPrice ?? "", o.tif],
    ...[o.ocaGroup, o.account, "", 0, o.orderRef], // ocaGroup, account, openClose, origin, orderRef
    o.permId,
    ...[o.outsideRth, 0, 0], // outsideRth, hidden, discretionaryAmt
    "", // goodAfterTime
    ...["", "", ""], // faGroup, faMethod, faPercentage
    "", // modelCode
    ...["", "", "", ""], // goodTillDate, rule80A, percentOffset, settlingFirm
    ...[0, "", -1], // shortSaleSlot, designatedLocation, exemptCode
    ...["", "", ""], // startingPrice, stockRefPrice, delta
    ...["", ""], // stockRangeLower, stockRangeUpper
    "", // displaySize
    ...[0, 0, ""], // sweepToFill, allOrNone, minQty
    o.ocaType,
    o.triggerMethod ?? 0,
    ...["", 0, "", "", 0, 0], // volatility, volatilityType, deltaNeutralOrderType, deltaNeutralAuxPrice, continuousUpdate, referencePriceType
    ...["", ""], // trailStopPrice, trailingPercent
    ...["", 0, 0], // comboLegsDescription, comboLegsCount, orderComboLegsCount
    0, // smartComboRoutingParamsCount
    ...["", "", ""], // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement
    "", // hedgeType
    ...["", ""], // clearingAccount, clearingIntent
    0, // notHeld
    0, // deltaNeutral contract present
    "", // algoStrategy
    0, // solicited
    o.status,
    ...[0, 0], // randomizeSize, randomizePrice
    0, // nConditions
    ...["", ""], // trailStopPrice, lmtPriceOffset
    "", // cashQty
    ...[0, 0], // dontUseAutoPriceForHedge, isOmsContainer
    "", // autoCancelDate
    o.filled,
    0, // refFuturesConId
    0, // autoCancelParent
    "", // shareholder
    ...[0, 0], // imbalanceOnly, routeMarketableToBbo
    0, // parentPermId
    completedTime,
    o.completedStatus ?? "",
    ...["", "", "", "", ""], // minTradeQty, minCompeteSize, competeAgainstBestOffset, midOffsetAtWhole, midOffsetAtHalf
    since(MIN.CUSTOMER_ACCOUNT, ""),
    since(MIN.PROFESSIONAL_CUSTOMER, 0),
  ];
}
