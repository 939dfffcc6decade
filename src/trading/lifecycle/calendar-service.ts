import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { calendar, type Db } from "../../store/index.js";
import { parseTradingHours } from "../domain/trading-calendar.js";
import { zone } from "../domain/zoned-time.js";
import { contractDetails } from "../ib/ib-market-data.js";
import type { IbSession } from "../ib/ib-session.js";

/**
 * The trading calendar as the broker tells it: SPY's liquidHours (holidays CLOSED, early
 * closes at 13:00) stored day by day, so the schedule can decide while disconnected.
 */
export class CalendarService {
  constructor(
    private readonly deps: { db: Db; clock: Clock; logger: Logger; symbol: string; timezone: string },
  ) {}

  async refresh(session: IbSession): Promise<number> {
    const { db, clock, logger, symbol } = this.deps;
    const [stock] = await contractDetails(session, { symbol, secType: "STK" });
    if (!stock?.liquidHours) {
      logger.warn({ symbol }, "the broker sent no liquidHours; the trading calendar was not updated");
      return 0;
    }
    const parsed = parseTradingHours(stock.liquidHours, stock.timeZoneId || this.deps.timezone);
    if (!parsed.ok) {
      logger.warn(
        { reason: parsed.reason, detail: parsed.detail },
        "could not read the broker's liquidHours",
      );
      return 0;
    }
    await calendar.upsertTradingDays(
      db,
      parsed.days.map((d) => ({
        day: d.day,
        status: d.status,
        openAt: d.openAt ? new Date(d.openAt) : null,
        closeAt: d.closeAt ? new Date(d.closeAt) : null,
        source: `${symbol} liquidHours`,
      })),
      clock.now(),
    );
    return parsed.days.length;
  }

  /** Today's date (YYYY-MM-DD) in the exchange's time zone. */
  today(): string {
    return zone(this.deps.timezone).wallTime(this.deps.clock.now()).day;
  }
}
