// Buying part of a listing (issue 22, docs/PRODUCT.md §1.3): which quantities a listing's split
// rule allows. Plain code, no imports at run time: the server's checkout and the web's quantity
// picker ask the same question. The SQL form (listings that can sell n) is in
// server/src/modules/listings/listings.repository.ts, `canSellSql`, tested against this one.
import type { SPLIT_RULES } from './vocabulary.ts';

export type SplitRule = (typeof SPLIT_RULES)[number];

/**
 * May a buyer take `n` of the `remaining` tickets? `any`: 1..remaining; `pairs`: the same but
 * never leaving a single seat behind; `none`: all that remain, nothing less.
 */
export function canSellQuantity(rule: SplitRule, remaining: number, n: number): boolean {
  if (!Number.isInteger(n) || n < 1 || n > remaining) return false;
  if (rule === 'none') return n === remaining;
  if (rule === 'pairs') return remaining - n !== 1;
  return true;
}

/** The quantities a buyer may choose, smallest first (empty when sold out). */
export function allowedQuantities(rule: SplitRule, remaining: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= remaining; n++) if (canSellQuantity(rule, remaining, n)) out.push(n);
  return out;
}
