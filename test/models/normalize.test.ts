import { describe, it, expect } from 'vitest';
import { normalizeTarget, normalizeInputs } from '../../src/models/normalize.js';
import { trainedForwardBatch, type TrainedNet } from '../../src/models/trained-net.js';
import { denseForwardBatch } from '../../src/nn/dense.js';
import { spectralNorm } from '../../src/nn/target.js';
import { Rng } from '../../src/rng/rng.js';

/** THEORY.md §2b: F̂ is in §2's class, x̂ in the unit ball, S·F̂(x̂) = f(x) and argmax unchanged. */
function randomNet(widths: number[], biases: boolean, rng: Rng, scale: number): TrainedNet {
  return {
    file: 'random',
    layers: widths.slice(1).map((rows, i) => ({
      rows, cols: widths[i],
      weight: Float64Array.from({ length: rows * widths[i] }, () => scale * rng.weight()),
      bias: biases ? Float64Array.from({ length: rows }, () => 3 * rng.weight()) : null,
    })),
  };
}

function check(net: TrainedNet, N: number, rng: Rng) {
  const d = net.layers[0].cols, out = net.layers[net.layers.length - 1].rows;
  const X = Float64Array.from({ length: N * d }, () => 5 * rng.weight()); // row-major, norms up to ~5√d
  let maxNorm = 0;
  for (let p = 0; p < N; p++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[p * d + j] ** 2;
    maxNorm = Math.max(maxNorm, Math.sqrt(s));
  }
  const target = normalizeTarget(net, maxNorm);
  const { widths, layers } = target.net;
  layers.forEach((w, i) => {
    expect(spectralNorm(w, widths[i + 1], widths[i])).toBeLessThanOrEqual(1);
    let maxAbs = 0;
    for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
    expect(maxAbs).toBeLessThanOrEqual((1 / Math.sqrt(widths[i])) * (1 + 1e-12));
  });
  const Xhat = normalizeInputs(target, X, N, d);
  for (let p = 0; p < N; p++) {
    let s = 0;
    for (let j = 0; j < widths[0]; j++) s += Xhat[j * N + p] ** 2;
    expect(Math.sqrt(s)).toBeLessThanOrEqual(1 + 1e-12);
  }
  const XT = new Float64Array(d * N);
  for (let p = 0; p < N; p++) for (let j = 0; j < d; j++) XT[j * N + p] = X[p * d + j];
  const f = new Float64Array(out * N), F = new Float64Array(out * N);
  trainedForwardBatch(net, XT, N, f);
  const width = Math.max(...widths);
  denseForwardBatch(target.net, Xhat, N, F, [new Float64Array(width * N), new Float64Array(width * N)]);
  let scaleOf = 0;
  for (const v of f) scaleOf = Math.max(scaleOf, Math.abs(v));
  for (let j = 0; j < f.length; j++) expect(Math.abs(target.S * F[j] - f[j])).toBeLessThanOrEqual(1e-12 * scaleOf);
  for (let p = 0; p < N; p++) {
    let a1 = 0, a2 = 0;
    for (let a = 1; a < out; a++) { if (f[a * N + p] > f[a1 * N + p]) a1 = a; if (F[a * N + p] > F[a2 * N + p]) a2 = a; }
    expect(a2).toBe(a1);
  }
  return target;
}

describe('normalization into the theorem\'s class (THEORY.md §2b)', () => {
  it('with biases: a constant coordinate and one constant neuron per hidden layer; S·F̂(x̂) = f(x)', () => {
    const rng = new Rng(1, 2);
    const net = randomNet([6, 9, 7, 4], true, rng, 2);
    const target = check(net, 300, rng);
    expect(target.augmented).toBe(true);
    expect(target.net.widths).toEqual([7, 10, 8, 4]);
    expect(target.R).toBeCloseTo(Math.SQRT2 * target.rho, 12);
    // γ_i = t_i/√n keeps the constant neuron from setting s_i: s_i ≤ t_i·√(1 + 1/n), with t_i ≤ s_i
    expect(target.gammas).toHaveLength(2);
  });

  it('without biases: widths unchanged, R = the largest ‖x‖', () => {
    const rng = new Rng(3, 4);
    const target = check(randomNet([5, 8, 3], false, rng, 0.01), 200, rng);
    expect(target.augmented).toBe(false);
    expect(target.net.widths).toEqual([5, 8, 3]);
    expect(target.rhos).toEqual([]);
  });

  it('layers with s_i < 1 move up to the constraint (small weights are scaled up)', () => {
    const rng = new Rng(5, 6);
    const target = check(randomNet([4, 4, 2], false, rng, 1e-3), 50, rng);
    expect(Math.max(...target.layerScales)).toBeLessThan(1);
    const w = target.net.layers[0];
    let maxAbs = 0;
    for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
    const norm = spectralNorm(w, 4, 4);
    // one of the two constraints is tight after scaling
    expect(Math.max(norm * (1 + 1e-9), 2 * maxAbs)).toBeCloseTo(1, 9);
  });

  it('a single linear layer with a bias has no constant neuron', () => {
    const rng = new Rng(7, 8);
    const target = check(randomNet([3, 2], true, rng, 1), 40, rng);
    expect(target.net.widths).toEqual([4, 2]);
    expect(target.gammas).toEqual([]);
  });
});
