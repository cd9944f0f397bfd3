// The A/B experiment: arm assignment and the statistics of its report. Pure functions.
import { createHash } from 'node:crypto';

export const ARMS = ['control', 'personalised'] as const;
export type Arm = (typeof ARMS)[number];
/** Bump to reshuffle everyone into new arms for a new experiment. */
export const EXPERIMENT_SALT = 'recs-2026-1';

/** Stable: the same user (or anonymous visitor id) always lands in the same arm, 50/50. */
export function assignArm(userKey: string): Arm {
  const digest = createHash('sha256').update(`${EXPERIMENT_SALT}:${userKey}`).digest();
  return digest.readUInt32BE(0) % 2 === 0 ? 'control' : 'personalised';
}

/** Wilson score interval of a proportion (95 % with z = 1.96). */
export function wilsonInterval(successes: number, trials: number, z = 1.959964) {
  if (trials <= 0) return { low: 0, high: 0 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Complementary error function (Numerical Recipes' erfc, relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Sample-ratio-mismatch check: χ² goodness of fit of the observed units per arm against the
 * intended split (1 degree of freedom for two arms). A tiny p-value (< 0.001) means the
 * assignment or the logging is broken and the CTRs cannot be trusted.
 */
export function sampleRatioCheck(observed: readonly number[], expectedShares: readonly number[]) {
  const total = observed.reduce((s, n) => s + n, 0);
  if (total === 0 || observed.length !== 2) return { chiSquare: 0, pValue: 1 };
  let chiSquare = 0;
  observed.forEach((n, i) => {
    const expected = total * expectedShares[i]!;
    chiSquare += expected > 0 ? ((n - expected) * (n - expected)) / expected : 0;
  });
  // χ²(1) survival function: P(X > x) = erfc(√(x/2)).
  return { chiSquare, pValue: erfc(Math.sqrt(chiSquare / 2)) };
}

/** Two-proportion z-test (pooled), two-sided p-value of "the CTRs differ". */
export function twoProportionTest(c1: number, n1: number, c2: number, n2: number) {
  if (n1 === 0 || n2 === 0) return { z: 0, pValue: 1 };
  const pooled = (c1 + c2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (c2 / n2 - c1 / n1) / se;
  return { z, pValue: erfc(Math.abs(z) / Math.SQRT2) };
}
