// Figures as the compare columns and the advisor's evidence table print them.
export { formatMs } from "../playground/failureText";

/** A cost where a price is known; "no price" says the price table has no row for the model. */
export function formatCost(cost: number | null, currency: string | null, noPrice: boolean): string {
  if (noPrice || cost === null) return "no price";
  // Per-request costs are often fractions of a cent: keep four significant decimals.
  const amount = cost >= 1 ? cost.toFixed(2) : cost.toPrecision(3);
  return currency ? `${amount} ${currency}` : amount;
}

export function formatRate(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
