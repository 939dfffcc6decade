/** Black–Scholes without dividends: price and greeks in IB's units (vega per vol point, theta per day). */

export interface OptionInputs {
  spot: number;
  strike: number;
  /** Years to expiry; at or below 0 the option is worth its intrinsic value. */
  years: number;
  vol: number;
  rate: number;
  right: "P" | "C";
}

export interface OptionValue {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
}

export function normCdf(x: number): number {
  // Abramowitz & Stegun 7.1.26 via erf; accurate to ~1e-7, plenty for quotes in cents.
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function normPdf(x: number): number {
  return Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
}

export function blackScholes(o: OptionInputs): OptionValue {
  const isPut = o.right === "P";
  if (o.years <= 0 || o.vol <= 0) {
    const intrinsic = Math.max(0, isPut ? o.strike - o.spot : o.spot - o.strike);
    const itm = intrinsic > 0;
    return { price: intrinsic, delta: itm ? (isPut ? -1 : 1) : 0, gamma: 0, vega: 0, theta: 0 };
  }
  const sqrtT = Math.sqrt(o.years);
  const d1 = (Math.log(o.spot / o.strike) + (o.rate + (o.vol * o.vol) / 2) * o.years) / (o.vol * sqrtT);
  const d2 = d1 - o.vol * sqrtT;
  const discount = Math.exp(-o.rate * o.years);
  const price = isPut
    ? o.strike * discount * normCdf(-d2) - o.spot * normCdf(-d1)
    : o.spot * normCdf(d1) - o.strike * discount * normCdf(d2);
  const delta = isPut ? normCdf(d1) - 1 : normCdf(d1);
  const gamma = normPdf(d1) / (o.spot * o.vol * sqrtT);
  const vega = (o.spot * normPdf(d1) * sqrtT) / 100;
  const decay = -(o.spot * normPdf(d1) * o.vol) / (2 * sqrtT);
  const carry = isPut
    ? o.rate * o.strike * discount * normCdf(-d2)
    : -o.rate * o.strike * discount * normCdf(d2);
  return { price: Math.max(0, price), delta, gamma, vega, theta: (decay + carry) / 365 };
}

export function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
