import { binomialCdf } from './binomial.js';

/** Order statistics without the sample in memory (an exact histogram): X_(r) for rank r, ±∞ outside [1, total]. */
export interface OrderStatistics {
  total: number;
  at(rank: number): number;
}

export interface QuantileEstimate {
  /** The ⌈n·level⌉-th order statistic. */
  value: number;
  /** Exact distribution-free confidence interval [X_(r), X_(s)] (Infinity when s > n). */
  low: number;
  high: number;
}

/**
 * Point estimate and exact order-statistic confidence interval for the `level`-quantile
 * of a continuous or discrete distribution from an i.i.d. sample (e.g. Hahn & Meeker,
 * "Statistical Intervals", §5.2): with B ~ Binomial(n, level), the interval
 * [X_(r), X_(s)] covers the quantile with probability ≥ P(r ≤ B < s). We take the
 * largest r with P(B < r) ≤ α/2 and the smallest s with P(B < s) ≥ 1 − α/2.
 * `sorted` must be ascending (or an exact histogram); Infinity stands for "larger than anything tested".
 */
export function quantileWithCI(sorted: ArrayLike<number> | OrderStatistics, level: number, confidence = 0.95): QuantileEstimate | null {
  const n = 'total' in sorted ? sorted.total : sorted.length;
  if (n === 0) return null;
  const alpha = 1 - confidence;
  const at = 'total' in sorted ? (rank: number) => sorted.at(rank)
    : (rank: number) => (rank < 1 ? -Infinity : rank > n ? Infinity : sorted[rank - 1]);
  // r: largest rank with P(B ≤ r − 1) ≤ α/2 (bisection: the cdf is monotone in r)
  let lo = 0, hi = n + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (binomialCdf(mid - 1, n, level) <= alpha / 2) lo = mid; else hi = mid;
  }
  const r = lo;
  // s: smallest rank with P(B ≤ s − 1) ≥ 1 − α/2
  lo = 0; hi = n + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (binomialCdf(mid - 1, n, level) >= 1 - alpha / 2) hi = mid; else lo = mid;
  }
  const s = hi;
  return { value: at(Math.ceil(n * level)), low: at(r), high: at(s) };
}
