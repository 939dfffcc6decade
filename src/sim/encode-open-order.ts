/**
 * OPEN_ORDER (5), at the negotiated server version, for a plain LMT/STP/MKT order. Each line mirrors one
 * reader of decodeMsg_OPEN_ORDER / OrderDecoder in decoder.js; empty values keep the optional
 * blocks (delta neutral, scale, hedge, algo, conditions) switched off.
 */
import type { Fields } from "./encode.js";
import type { MarginPreview } from "./exchange.js";
import { since, until } from "./framing.js";
import { IN } from "./msg-ids.js";
import type { SimOrder } from "./types.js";
import { MIN } from "./versions.js";

export function openOrder(o: SimOrder, preview?: MarginPreview): Fields {
  const p = preview;
  const c = o.contract;
  return [
    IN.OPEN_ORDER,
    o.orderId,
    ...[c.conId, c.symbol, c.secType, c.expiry, c.strike, c.right, c.secType === "OPT" ? c.multiplier : ""],
    ...[c.exchange, c.currency, c.localSymbol, c.tradingClass],
    ...[
      o.action,
      o.totalQuantity,
      o.orderType,
      o.lmtPrice ?? "",
      o.auxPrice ?? "",
      o.tif,
      o.ocaGroup,
      o.account,
    ],
    ...["", 0, o.orderRef, o.clientId, o.permId], // openClose, origin, orderRef, clientId, permId
    ...[o.outsideRth, 0, 0, "", ""], // outsideRth, hidden, discretionaryAmt, goodAfterTime, sharesAllocation
    ...["", "", ""], // faGroup, faMethod, faPercentage
    until(MIN.FA_PROFILE_DESUPPORT, ""), // faProfile
    "", // modelCode
    ...["", "", "", ""], // goodTillDate, rule80A, percentOffset, settlingFirm
    ...[0, "", -1], // shortSaleSlot, designatedLocation, exemptCode
    0, // auctionStrategy
    ...["", "", ""], // startingPrice, stockRefPrice, delta
    ...["", ""], // stockRangeLower, stockRangeUpper
    "", // displaySize
    ...[0, 0, 0, "", o.ocaType, 0, 0, ""], // blockOrder, sweepToFill, allOrNone, minQty, ocaType, eTradeOnly, firmQuoteOnly, nbboPriceCap
    ...[o.parentId, o.triggerMethod ?? 0], // parentId, triggerMethod
    ...["", 0, "", "", 0, 0], // volatility, volatilityType, deltaNeutralOrderType, deltaNeutralAuxPrice, continuousUpdate, referencePriceType
    ...["", ""], // trailStopPrice, trailingPercent
    ...["", ""], // basisPoints, basisPointsType
    ...["", 0, 0], // comboLegsDescription, comboLegsCount, orderComboLegsCount
    0, // smartComboRoutingParamsCount
    ...["", "", ""], // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement
    "", // hedgeType
    0, // optOutSmartRouting
    ...["", ""], // clearingAccount, clearingIntent
    0, // notHeld
    0, // deltaNeutralContract present
    "", // algoStrategy
    0, // solicited
    ...[p ? 1 : 0, o.status], // whatIf, orderState.status
    ...(p ? [p.initMarginBefore, p.maintMarginBefore, p.equityWithLoanBefore] : ["", "", ""]),
    ...(p ? [p.initMarginChange, p.maintMarginChange, p.equityWithLoanChange] : ["", "", ""]),
    ...(p ? [p.initMarginAfter, p.maintMarginAfter, p.equityWithLoanAfter] : ["", "", ""]),
    ...(p ? [p.commission, p.minCommission, p.maxCommission, "USD"] : ["", "", "", ""]),
    "", // warningText
    ...[0, 0], // randomizeSize, randomizePrice
    0, // nConditions
    ...["", "", "", "", "", "", "", 0], // adjustedOrderType ... adjustableTrailingUnit
    ...["", "", ""], // softDollarTier name, value, displayName
    "", // cashQty
    ...[0, 0, 0, 0], // dontUseAutoPriceForHedge, isOmsContainer, discretionaryUpToLimitPrice, usePriceMgmtAlgo
    ...["", "", 0], // duration, postToAts, autoCancelParent
    ...["", "", "", "", ""], // minTradeQty, minCompeteSize, competeAgainstBestOffset, midOffsetAtWhole, midOffsetAtHalf
    since(MIN.CUSTOMER_ACCOUNT, ""),
    since(MIN.PROFESSIONAL_CUSTOMER, 0),
    since(MIN.BOND_ACCRUED_INTEREST, ""),
    since(MIN.INCLUDE_OVERNIGHT, 0),
    since(MIN.CME_TAGGING_FIELDS_IN_OPEN_ORDER, "", ""), // extOperator, manualOrderIndicator
  ];
}
