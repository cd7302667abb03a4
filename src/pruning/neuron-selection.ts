import type { Rng } from '../rng/rng.js';

/**
 * Randomized rounding of a coefficient vector to a subset of whole neurons
 * (THEORY.md §8 step 3, §9 step 4). A neuron of the random net has a drawn out-weight
 * u ~ U[−1, 1] and a target coefficient a with |a| ≤ C (a fitted v_{t,i} in `neuron-rf`,
 * α(w_i) in `memorize`). It is kept, with u unchanged, with probability
 *
 *   π = ½ + a·u/(2C) ∈ [0, 1].
 *
 * E_u[u·π] = a·E[u²]/(2C) = a/(6C), so c·(kept sum) with c = 6C/T has mean (1/T)·Σ a·σ:
 * the rounding is unbiased. Var(u·keep) = 1/6 − a²/(36C²), so each neuron adds
 * (6C² − a²)/T² times its squared feature to the variance.
 */

/** π = ½ + a·u/(2C), the probability of keeping a neuron (in [0, 1] when |a| ≤ C, |u| ≤ 1). */
export function keepProbability(a: number, u: number, C: number): number {
  return 0.5 + (a * u) / (2 * C);
}

/** The scale c = 6C/T of the pruned net, T the number of coefficient vectors averaged (groups, or k neurons). */
export function roundingScale(C: number, count: number): number {
  return (6 * C) / count;
}

/**
 * Keep decisions for neurons 0..n−1: keep_i = 1 when the i-th uniform of `rng` is below π_i.
 * Exactly one uniform per neuron, in order, so the decision for neuron i never depends
 * on how many neurons follow. Returns the number kept.
 */
export function roundNeurons(rng: Rng, coefs: Float64Array, outWeights: Float64Array, n: number, C: number, keep: Uint8Array): number {
  let kept = 0;
  const half = 0.5 / C;
  for (let i = 0; i < n; i++) {
    const k = rng.next() < 0.5 + coefs[i] * outWeights[i] * half ? 1 : 0;
    keep[i] = k;
    kept += k;
  }
  return kept;
}

/**
 * E[Y] of THEORY.md §8 for one group: Σ_i (6C² − a_i²)·m2 / T², m2 = E_x[σ(⟨w_i, x⟩)²]
 * (the same for every unit w_i when x is uniform on the sphere). Summed over groups it is
 * the expected excess squared loss of c·ḡ over f̄ given the features and fits.
 */
export function roundingVariance(coefs: Float64Array, n: number, C: number, secondMoment: number, T: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += 6 * C * C - coefs[i] * coefs[i];
  return (s * secondMoment) / (T * T);
}

/**
 * The same with each unit's own second moment over a sample, m2_i = (1/N)·Σ_q φ_qi² (Φ row-major
 * N × n): for points that are not uniform on the sphere (real data) it is the expected excess
 * squared loss on that sample given the features and fits, exactly. Not divided by T².
 */
export function roundingVarianceOnSample(coefs: Float64Array, n: number, C: number, phi: Float64Array, N: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let m2 = 0;
    for (let q = 0; q < N; q++) m2 += phi[q * n + i] * phi[q * n + i];
    s += (6 * C * C - coefs[i] * coefs[i]) * (m2 / N);
  }
  return s;
}
