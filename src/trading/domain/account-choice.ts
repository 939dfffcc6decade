/**
 * Which account the bot trades: IB_ACCOUNT when the login manages it; the only managed account
 * when IB_ACCOUNT is not set; otherwise none, with the reason in words (the bot then sends nothing).
 */
export type AccountChoice = { account: string; problem: null } | { account: null; problem: string };

export function chooseAccount(managed: readonly string[], configured: string | undefined): AccountChoice {
  const list = managed.join(", ") || "none";
  if (configured) {
    if (managed.includes(configured)) return { account: configured, problem: null };
    return {
      account: null,
      problem: `IB_ACCOUNT=${configured} is not an account this login manages (it manages ${list}). Set IB_ACCOUNT to one of them and restart; until then the bot sends no orders.`,
    };
  }
  const [only, ...others] = managed;
  if (only && others.length === 0) return { account: only, problem: null };
  if (!only)
    return { account: null, problem: "The gateway reported no managed account; the bot sends no orders." };
  return {
    account: null,
    problem: `This login manages several accounts (${list}) and IB_ACCOUNT is not set. Set IB_ACCOUNT to the one to trade and restart; until then the bot sends no orders.`,
  };
}
