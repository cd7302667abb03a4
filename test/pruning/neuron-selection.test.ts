/**
 * The randomized rounding of THEORY.md §8 step 3 (src/pruning/neuron-selection.ts): with
 * features and fitted coefficients fixed and the random net's out-weights u ~ U[−1, 1]
 * redrawn with the keep decisions, c·ḡ(x) = c·Σ keep·u·σ has mean f̄(x) = (1/T)·Σ v·σ and
 * variance (1/T²)·Σ (6C² − v²)·σ² at every point (the exact E[Y] of §8, pointwise).
 */
import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/rng/rng.js';
import { roundNeurons, roundingScale, keepProbability, roundingVariance } from '../../src/pruning/neuron-selection.js';
import { expectWithinSE, mean, variance, Z } from '../support/stats.js';

describe('neuron rounding', () => {
  const T = 6, n = 5, C = 2, points = 3, R = 40000;
  const setup = new Rng(21, 22);
  // mostly large positive coefficients, so f̄ is several standard deviations of c·ḡ away from 0
  // and a biased rounding (a wrong scale or keep probability) shows; two at the bounds ±C
  const v = Float64Array.from({ length: T * n }, () => C * (0.3 + 0.7 * setup.next()));
  v[0] = C;
  v[1] = -C;
  v[2] = -0.5 * C;
  const phi = Float64Array.from({ length: points * T * n }, () => setup.next()); // σ(⟨w, x_p⟩) ∈ [0, 1)
  const fBar = Array.from({ length: points }, (_, p) => {
    let s = 0;
    for (let j = 0; j < T * n; j++) s += v[j] * phi[p * T * n + j];
    return s / T;
  });
  const c = roundingScale(C, T);
  const samples = Array.from({ length: points }, () => new Float64Array(R));
  const draws = new Rng(23, 24), rounding = new Rng(25, 26);
  const u = new Float64Array(n), keep = new Uint8Array(n);
  let keptTotal = 0;
  for (let r = 0; r < R; r++) {
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < n; i++) u[i] = draws.weight();
      keptTotal += roundNeurons(rounding, v.subarray(t * n, (t + 1) * n), u, n, C, keep);
      for (let p = 0; p < points; p++) {
        let s = 0;
        for (let i = 0; i < n; i++) if (keep[i]) s += u[i] * phi[p * T * n + t * n + i];
        samples[p][r] += c * s;
      }
    }
  }

  it('is unbiased: the mean of c·ḡ over roundings is f̄ at every point (4.5 SE)', () => {
    for (let p = 0; p < points; p++) {
      expectWithinSE(mean(samples[p]), fBar[p], Math.sqrt(variance(samples[p]) / R), `point ${p}`);
    }
  });

  it('has the variance (1/T²)·Σ (6C² − v²)·σ² of THEORY.md §8 at every point', () => {
    for (let p = 0; p < points; p++) {
      let exact = 0;
      for (let j = 0; j < T * n; j++) exact += (6 * C * C - v[j] * v[j]) * phi[p * T * n + j] ** 2;
      exact /= T * T;
      // SE of the sample variance: √((μ₄ − σ⁴)/R), with μ₄ estimated from the sample
      const m = mean(samples[p]);
      const mu4 = mean(samples[p].map((x) => (x - m) ** 4));
      expectWithinSE(variance(samples[p]), exact, Math.sqrt((mu4 - exact * exact) / R), `variance at point ${p}`);
    }
    // roundingVariance is the same sum with a common second moment
    const flat = new Float64Array(n).fill(0.5);
    expect(roundingVariance(flat, n, C, 0.1, T)).toBeCloseTo((n * (6 * C * C - 0.25) * 0.1) / (T * T), 14);
  });

  it('keeps about half the neurons (E[π] = ½), with π ∈ [0, 1] at |v| = C', () => {
    const expected = (R * T * n) / 2;
    expect(Math.abs(keptTotal - expected)).toBeLessThan(Z * Math.sqrt(R * T * n) * 0.5);
    expect(keepProbability(C, 1, C)).toBe(1);
    expect(keepProbability(C, -1, C)).toBe(0);
    expect(keepProbability(-C, -1, C)).toBe(1);
    expect(c).toBe((6 * C) / T);
  });
});
