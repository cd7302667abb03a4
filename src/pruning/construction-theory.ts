import { hitProbability } from './products.js';
import { pairSuccessProbability, oneSideSuccessProbability } from './pair-rule.js';
import { maxEntry } from '../nn/target.js';
import type { DenseNet } from '../nn/dense.js';

/**
 * Closed forms of the full construction (THEORY.md §5) for a target with layer widths
 * [n_0 = d, n_1, …, n_l].
 */

/** Per-weight tolerance of layer i (0-based here): τ = ε / (2l·√(n_{i−1}·n_i)). */
export function layerTolerance(widths: number[], i: number, eps: number): number {
  const l = widths.length - 1;
  return eps / (2 * l * Math.sqrt(widths[i] * widths[i + 1]));
}

/** N = Σ_i n_{i−1}·n_i, the number of target weights. */
export function targetWeightCount(widths: number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < widths.length; i++) n += widths[i] * widths[i + 1];
  return n;
}

export interface TheoryWidths {
  /** k_i per layer: units per block that certify P(success) ≥ 1 − δ by the union bound. */
  perLayer: number[];
  /** max_i k_i. */
  width: number;
  /** Σ_i middle width of pair i at k_i: n_{i−1}·n_i·k_i (private) or n_{i−1}·k_i (shared). */
  middleWidth: number;
}

/**
 * Union-bound widths (THEORY.md §5): q_i* = p(M_i, τ_i)/2 for the worst admissible
 * weight M_i = 1/√n_{i−1}; k_i = ⌈ln(2N/δ)/q_i*⌉ (⌈ln(N/δ)/q_i*⌉ for one-side layers).
 */
export function constructionTheoryWidths(
  widths: number[], eps: number, delta: number, layout: 'private' | 'shared', oneSide: boolean,
): TheoryWidths {
  const N = targetWeightCount(widths);
  const perLayer: number[] = [];
  let middleWidth = 0;
  for (let i = 0; i + 1 < widths.length; i++) {
    const q = hitProbability(maxEntry(widths[i]), layerTolerance(widths, i, eps)) / 2;
    const failures = oneSide && i >= 1 ? N / delta : (2 * N) / delta;
    const k = Math.ceil(Math.log(failures) / q);
    perLayer.push(k);
    middleWidth += (layout === 'private' ? widths[i] * widths[i + 1] : widths[i]) * k;
  }
  return { perLayer, width: Math.max(...perLayer), middleWidth };
}

/**
 * Exact P(success at k) for private blocks: Π over target weights of the pair formula
 * (one-side formula for layers ≥ 2 with that option), summed in log space. Per weight
 * the failure probability f = 2(1−q)^k − (1−2q)^k is formed directly when small, so
 * products of 10⁵ factors near 1 keep their precision.
 */
export function constructionExactProbability(target: DenseNet, eps: number, k: number, oneSide: boolean, tauOverride: number | null = null): number {
  const { widths, layers } = target;
  let logP = 0;
  for (let i = 0; i < layers.length; i++) {
    const tau = tauOverride ?? layerTolerance(widths, i, eps);
    const w = layers[i];
    for (let j = 0; j < w.length; j++) {
      const q = hitProbability(w[j], tau) / 2;
      const A = Math.exp(k * Math.log1p(-q));
      if (oneSide && i >= 1) {
        logP += A < 0.5 ? Math.log1p(-A) : Math.log(oneSideSuccessProbability(q, k));
      } else {
        const f = 2 * A - Math.exp(k * Math.log1p(-2 * q));
        logP += f < 0.5 ? Math.log1p(-f) : Math.log(pairSuccessProbability(q, k));
      }
      if (logP === -Infinity) return 0;
    }
  }
  return Math.exp(logP);
}
