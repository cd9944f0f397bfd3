import { describe, expect, it } from 'vitest';
import { evaluate, formatEvaluation } from './evaluation.ts';

// The fixed-seed offline evaluation, pinned: a change to the scorer or the generator that moves
// these numbers must update them here on purpose. Run `npm run recsys:evaluate` for the table.
const result = evaluate();
const { personalised, baseline, popularity, random } = result.models;
const f = (n: number) => n.toFixed(4);

describe('offline evaluation (seed 20260328)', () => {
  it(`when evaluated, then personalised NDCG@10 ${f(personalised.ndcg)} beats popularity ${f(popularity.ndcg)}, baseline ${f(baseline.ndcg)} and random ${f(random.ndcg)}`, () => {
    console.log(formatEvaluation(result));
    expect(personalised.ndcg).toBeGreaterThan(popularity.ndcg);
    expect(personalised.ndcg).toBeGreaterThan(baseline.ndcg);
    expect(personalised.ndcg).toBeGreaterThan(random.ndcg);
    expect(personalised.precision).toBeGreaterThan(popularity.precision);
    expect(personalised.recall).toBeGreaterThan(popularity.recall);
  });

  it('when evaluated twice, then the numbers are the pinned ones', () => {
    expect(result.users).toBe(220);
    expect(result.candidates).toBe(418);
    const pinned = {
      personalised: [0.0327, 0.3023, 0.1524, 0.7919],
      baseline: [0.0055, 0.0477, 0.0178, 0.2727],
      popularity: [0.0014, 0.0136, 0.0097, 0.0239],
      random: [0.0014, 0.0106, 0.0047, 1.0],
    };
    for (const [model, [p, r, n, c]] of Object.entries(pinned)) {
      const m = result.models[model as keyof typeof pinned];
      expect([m.precision, m.recall, m.ndcg, m.coverage].map(f), model).toEqual(
        [p, r, n, c].map((x) => f(x!)),
      );
    }
  });
});
