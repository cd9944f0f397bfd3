// Money is whole New Taiwan dollars (integers) everywhere.

/** Platform fee in whole dollars, rounded down in the seller's favour. */
export function platformFee(total: number, percent: number): number {
  return Math.floor((total * percent) / 100);
}

/** Median of integer prices (mean of the middle two, rounded), or null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}
