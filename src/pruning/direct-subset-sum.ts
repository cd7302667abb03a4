import type { Streams } from '../rng/streams.js';
import type { TrainedLayer, TrainedNet } from '../models/trained-net.js';
import { SubsetSumSolver, chosenIndices, MAX_SUBSET_VALUES } from './subset-sum.js';

export type CoefficientRange = 'uniform' | 'target-range';

export interface DirectOptions {
  /** Coefficients per weight. */
  k: number;
  /** Success: every weight within tau of its subset sum. */
  tau: number;
  /** U[−1, 1] or U[min w, max w] over the whole target (Pensia et al.'s code). */
  coefficients: CoefficientRange;
}

export interface DirectResult {
  /** f with every weight (and bias) replaced by its closest subset sum. */
  net: TrainedNet;
  success: boolean;
  weightsOk: number;
  weightsTotal: number;
  /** Coefficients kept over all weights (the subsets' sizes). */
  keptCoefficients: number;
  /** Smallest k′ ≤ k at which every weight is within tau (coefficients are nested); null when k fails. */
  criticalWidth: number | null;
  /** max over weights of |subset sum − w|. */
  maxWeightError: number;
}

/** [a, b] of the coefficients: U[−1, 1], or [min, max] over every weight and bias of f. */
export function coefficientRange(net: TrainedNet, range: CoefficientRange): [number, number] {
  if (range === 'uniform') return [-1, 1];
  let lo = Infinity, hi = -Infinity;
  for (const layer of net.layers) {
    for (const values of [layer.weight, layer.bias ?? new Float64Array(0)]) {
      for (let j = 0; j < values.length; j++) { lo = Math.min(lo, values[j]); hi = Math.max(hi, values[j]); }
    }
  }
  return [lo, hi];
}

const solver = new SubsetSumSolver();

/**
 * Pensia et al.'s direct construction (THEORY.md §2b "Direct construction"): every raw
 * weight w of f — biases too — is replaced by the closest subset sum of k coefficients
 * drawn i.i.d. from the coefficient range, from its own substream (`direct/i/a/b`, biases
 * `direct-bias/i/a`), so k′ < k sees a prefix of the same coefficients and the critical
 * width is exact. Not a subnetwork of a depth-2l random net: f's shape with new weights.
 */
export function directSubsetSum(net: TrainedNet, streams: Streams, options: DirectOptions): DirectResult {
  if (options.k > MAX_SUBSET_VALUES) throw new Error(`direct construction: k = ${options.k} exceeds ${MAX_SUBSET_VALUES}`);
  const [lo, hi] = coefficientRange(net, options.coefficients);
  const values = new Float64Array(options.k);
  const state = { ok: 0, total: 0, kept: 0, critical: 0 as number | null, maxError: 0 };
  const approximate = (w: number, rng: ReturnType<Streams['get']>): number => {
    for (let t = 0; t < options.k; t++) values[t] = rng.uniform(lo, hi);
    const r = closestSubsetSum(values, options.k, w, options.tau);
    state.kept += r.kept;
    state.total++;
    state.maxError = Math.max(state.maxError, r.error);
    if (r.criticalWidth !== null) {
      state.ok++;
      if (state.critical !== null) state.critical = Math.max(state.critical, r.criticalWidth);
    } else state.critical = null;
    return r.sum;
  };
  const layers: TrainedLayer[] = net.layers.map((layer, i) => {
    const weight = new Float64Array(layer.weight.length);
    for (let a = 0; a < layer.rows; a++) {
      for (let b = 0; b < layer.cols; b++) weight[a * layer.cols + b] = approximate(layer.weight[a * layer.cols + b], streams.get('direct', i, a, b));
    }
    let bias: Float64Array | null = null;
    if (layer.bias) {
      bias = new Float64Array(layer.rows);
      for (let a = 0; a < layer.rows; a++) bias[a] = approximate(layer.bias[a], streams.get('direct-bias', i, a));
    }
    return { rows: layer.rows, cols: layer.cols, weight, bias };
  });
  return {
    net: { file: net.file, layers },
    success: state.ok === state.total,
    weightsOk: state.ok,
    weightsTotal: state.total,
    keptCoefficients: state.kept,
    criticalWidth: state.critical,
    maxWeightError: state.maxError,
  };
}

/**
 * The closest subset sum of values[0 .. k) to w (exact, meet in the middle), how many values
 * it keeps, and the critical width: the smallest k′ whose prefix already comes within tau
 * (null when even k does not).
 */
export function closestSubsetSum(values: Float64Array, k: number, w: number, tau: number): { sum: number; error: number; kept: number; criticalWidth: number | null } {
  const r = solver.solve(values, 0, k, w);
  const sum = r.sum, error = r.error, kept = chosenIndices(r, k).length;
  return { sum, error, kept, criticalWidth: error <= tau ? criticalWidth(values, k, w, tau) : null };
}

/** Smallest k′ with the closest subset sum of the first k′ values within tau, by bisection (success is monotone in k′). */
function criticalWidth(values: Float64Array, k: number, w: number, tau: number): number {
  if (Math.abs(w) <= tau) return 0; // the empty sum already serves (k′ = 0)
  let lo = 0, hi = k;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (solver.solve(values, 0, mid, w).error <= tau) hi = mid; else lo = mid;
  }
  return hi;
}
