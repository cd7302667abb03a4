import jstatPkg from 'jstat';
import type { jStat as JStat } from 'jstat';

const { jStat } = jstatPkg as unknown as { jStat: typeof JStat };

export interface Interval {
  low: number;
  high: number;
}

/**
 * Exact (Clopper–Pearson 1934) two-sided interval for a binomial proportion with
 * `successes` out of `trials` at level `confidence`:
 *   low  = Beta⁻¹(α/2; x, n − x + 1)  (0 when x = 0)
 *   high = Beta⁻¹(1 − α/2; x + 1, n − x)  (1 when x = n)
 * with α = 1 − confidence. The ends x = n and x = 0 use their closed forms
 * (α/2)^(1/n) and 1 − (α/2)^(1/n), the cases that decide `above` for a theorem
 * that holds with high probability; other quantiles come from jStat.
 */
export function clopperPearson(successes: number, trials: number, confidence = 0.95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const alpha = 1 - confidence;
  const x = successes, n = trials;
  const low = x === 0 ? 0 : x === n ? Math.pow(alpha / 2, 1 / n) : jStat.beta.inv(alpha / 2, x, n - x + 1);
  const high = x === n ? 1 : x === 0 ? 1 - Math.pow(alpha / 2, 1 / n) : jStat.beta.inv(1 - alpha / 2, x + 1, n - x);
  return { low, high };
}
