/**
 * Server versions: the newest the simulator speaks, and the versions (IB's MIN_SERVER_VER_*, as in
 * EDecoder/EClient) at which fields the simulator sends or reads were added.
 */

/** The newest server version the simulator speaks (@stoqey/ib's MAX_SUPPORTED_SERVER_VERSION). */
export const SERVER_VERSION = 193;
/** The oldest: the v100+ handshake starts there. */
export const MIN_CLIENT_VERSION = 100;

export const MIN = {
  FA_PROFILE_DESUPPORT: 177,
  PENDING_PRICE_REVISION: 178,
  FUND_DATA_FIELDS: 179,
  LAST_TRADE_DATE: 182,
  CUSTOMER_ACCOUNT: 183,
  PROFESSIONAL_CUSTOMER: 184,
  BOND_ACCRUED_INTEREST: 185,
  INELIGIBILITY_REASONS: 186,
  RFQ_FIELDS: 187,
  INCLUDE_OVERNIGHT: 189,
  UNDO_RFQ_FIELDS: 190,
  CME_TAGGING_FIELDS: 192,
  CME_TAGGING_FIELDS_IN_OPEN_ORDER: 193,
} as const;
