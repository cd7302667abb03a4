import type { Rng } from './rng.js';

/**
 * Index of the first success in i.i.d. Bernoulli(p) trials, counted from 1
 * (THEORY.md §4): T = ⌈ln U / log1p(−p)⌉ with U ~ U(0, 1]. Exact in
 * distribution, one logarithm per draw whatever p is. Returns Infinity for p = 0.
 */
export function geometric(rng: Rng, p: number): number {
  if (p >= 1) return 1;
  if (p <= 0) return Infinity;
  const t = Math.ceil(Math.log(rng.nextOpen()) / Math.log1p(-p));
  return t < 1 ? 1 : t;
}
