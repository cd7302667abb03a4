/**
 * `memorize` (THEORY.md §9), in-process: α(w) reproduces the labels in expectation over w
 * (Monte Carlo), C ≤ √m‖y‖/λ ≤ m/λ on every seed, c·ḡ(x_j) has mean y_j and variance
 * (6C²H_jj − y_j²)/k over networks and roundings, the success rate at the per-seed theory
 * width is ≥ 1 − δ, and the invariants: kept neurons are the drawn neurons, c = 6C/k > 0,
 * max_error recomputed from the kept set; nesting in k; redraws; the max_width guard.
 */
import { describe, it, expect } from 'vitest';
import { memorize, memorizeSeed, type MemorizeParams } from '../../src/experiments/memorize.js';
import { samplePoints, sampleLabels, interpolate, roundedNetwork } from '../../src/pruning/memorization.js';
import { NormalSampler, drawSpherePoint } from '../../src/rng/ziggurat.js';
import { Streams } from '../../src/rng/streams.js';
import { Rng } from '../../src/rng/rng.js';
import { UserError } from '../../src/errors.js';
import { expectWithinSE, mean, variance, Z } from '../support/stats.js';

const base: Record<string, string | number> = {
  d: 6, m: 4, points: 'uniform', separation: 0.1, clusters: 2, labels: 'sign', k: 3000, epsilon: 0.5, delta: 0.1, redraws: 0, max_width: 1e8,
};
const params = (over: Record<string, string | number> = {}) => memorize.resolve({ ...base, ...over }) as MemorizeParams;
const streams = (seed: number) => Streams.forSeed(0x77, 0x99, seed);
const column = (name: string) => memorize.columns.findIndex((c) => c.name === name);

/** A fixed data set of the given kind (points, labels, β, C, H). */
function data(kind: 'uniform' | 'clustered', labels: 'sign' | 'uniform', d: number, m: number, seed: number) {
  const points = new Float64Array(m * d), y = new Float64Array(m);
  samplePoints(new Rng(seed, 1), kind, m, d, 0.3, 2, points);
  sampleLabels(new Rng(seed, 2), labels, m, y);
  return { points, y, ...interpolate(points, y, m, d) };
}

describe('memorize: the interpolant (§9 steps 1–3)', () => {
  it('E_w[α(w)·σ(⟨w, x_j⟩)] = y_j (Monte Carlo over w uniform on the sphere, 4.5 SE)', () => {
    for (const [kind, labels] of [['uniform', 'sign'], ['clustered', 'uniform']] as const) {
      const d = 5, m = 4, M = 200000;
      const { points, y, beta } = data(kind, labels, d, m, 3);
      const normals = new NormalSampler(new Rng(4, 4));
      const w = new Float64Array(d), sigma = new Float64Array(m);
      const samples = Array.from({ length: m }, () => new Float64Array(M));
      for (let s = 0; s < M; s++) {
        drawSpherePoint(normals, w, 0, d);
        let alpha = 0;
        for (let j = 0; j < m; j++) {
          let z = 0;
          for (let c = 0; c < d; c++) z += w[c] * points[j * d + c];
          sigma[j] = Math.max(z, 0);
          alpha += beta![j] * sigma[j];
        }
        for (let j = 0; j < m; j++) samples[j][s] = alpha * sigma[j];
      }
      for (let j = 0; j < m; j++) expectWithinSE(mean(samples[j]), y[j], Math.sqrt(variance(samples[j]) / M), `${kind} point ${j}`);
    }
  });

  it('C ≤ √m·‖y‖/λ ≤ m/λ on every seed (and C ≥ 2d for ±1 labels); Hβ = y; λ_min is the smallest Rayleigh quotient', () => {
    let seeds = 0;
    for (const [points, labels] of [['uniform', 'sign'], ['uniform', 'uniform'], ['clustered', 'sign']] as const) {
      for (let seed = 0; seed < 100; seed++) {
        const p = params({ points, labels, k: 1, m: 6, d: 4, separation: 0.2 });
        const s = memorizeSeed(p, streams(seed));
        const { gram, beta, C, lambdaMin } = s.interpolant;
        const m = p.m;
        const yNorm = Math.sqrt(s.labels.reduce((a, v) => a + v * v, 0));
        expect(C).toBeLessThanOrEqual((Math.sqrt(m) * yNorm) / lambdaMin * (1 + 1e-9));
        expect((Math.sqrt(m) * yNorm) / lambdaMin).toBeLessThanOrEqual((m / lambdaMin) * (1 + 1e-12));
        if (labels === 'sign') expect(C).toBeGreaterThanOrEqual(2 * p.d * (1 - 1e-12)); // resolve()'s lower bound for k "theory"
        for (let j = 0; j < m; j++) {
          let hb = 0;
          for (let l = 0; l < m; l++) hb += gram[j * m + l] * beta![l];
          expect(Math.abs(hb - s.labels[j])).toBeLessThan(1e-8);
        }
        const probe = new Rng(seed, 5);
        for (let r = 0; r < 20; r++) {
          const v = Array.from({ length: m }, () => probe.weight());
          let num = 0, den = 0;
          for (let j = 0; j < m; j++) {
            den += v[j] * v[j];
            for (let l = 0; l < m; l++) num += v[j] * gram[j * m + l] * v[l];
          }
          expect(lambdaMin).toBeLessThanOrEqual((num / den) * (1 + 1e-12));
        }
        expect(lambdaMin).toBeGreaterThan(0);
        const row = memorize.run(p, streams(seed));
        expect(row[column('theory_width_lambda')]!).toBeGreaterThanOrEqual(row[column('theory_width')]!);
        seeds++;
      }
    }
    expect(seeds).toBe(300);
  });
});

describe('memorize: the rounding (§9 steps 4–5)', () => {
  it('c·ḡ(x_j) has mean y_j and variance (6C²H_jj − y_j²)/k over networks and roundings', () => {
    // m = 1, d = 2 has the smallest variance relative to y (C = 2d|y|): a 3% bias in the keep
    // probability or in c shows there; d = 5, m = 3 has the cross terms of H
    for (const [d, m, seed] of [[2, 1, 9], [5, 3, 8]]) {
      const k = 1000, R = 3000;
      const { points, y, beta, C, gram } = data('uniform', 'uniform', d, m, seed);
      const outputs = Array.from({ length: m }, () => new Float64Array(R));
      for (let r = 0; r < R; r++) {
        const net = roundedNetwork(new Rng(100 + r, 1), [new Rng(100 + r, 2)], points, m, d, beta!, C, k);
        for (let j = 0; j < m; j++) outputs[j][r] = net.outputs[j];
      }
      for (let j = 0; j < m; j++) {
        const exactVariance = (6 * C * C * gram[j * m + j] - y[j] * y[j]) / k;
        const se = Math.sqrt(exactVariance / R);
        if (m === 1) expect(se).toBeLessThan(0.006 * Math.abs(y[j])); // power: a 3% bias is > 4.5 SE
        expectWithinSE(mean(outputs[j]), y[j], se, `d = ${d}: mean at point ${j}`);
        const mu = mean(outputs[j]);
        const mu4 = mean(outputs[j].map((x) => (x - mu) ** 4));
        expectWithinSE(variance(outputs[j]), exactVariance, Math.sqrt((mu4 - exactVariance ** 2) / R), `d = ${d}: variance at point ${j}`);
      }
    }
  });

  it('succeeds with probability ≥ 1 − δ at the per-seed theory width (seeds with a small one)', () => {
    const p = params({ d: 3, m: 3, labels: 'uniform', epsilon: 0.5, delta: 0.1, k: 'theory', max_width: 300000 });
    const probe = params({ d: 3, m: 3, labels: 'uniform', epsilon: 0.5, delta: 0.1, k: 1 });
    let tried = 0, successes = 0;
    for (let seed = 0; tried < 20; seed++) {
      const width = memorize.run(probe, streams(seed))[column('theory_width')]!;
      if (width > 200000) continue; // Hoeffding holds given the data, so choosing seeds by C is fair
      const row = memorize.run(p, streams(seed));
      expect(row[column('width')]).toBe(width);
      tried++;
      successes += row[column('success')]!;
    }
    const delta = 0.1;
    expect(successes).toBeGreaterThanOrEqual(tried * (1 - delta) - Z * Math.sqrt(tried * delta * (1 - delta)));
    expect(successes).toBe(tried); // in practice Hoeffding is very conservative here (THEORY.md §9)
  });

  it('keeps drawn neurons only: weights as drawn, c = 6C/k > 0, max_error recomputed from the kept set', () => {
    for (const [points, labels] of [['uniform', 'sign'], ['clustered', 'uniform']] as const) {
      const p = params({ points, labels, k: 2000 });
      for (let seed = 0; seed < 3; seed++) {
        const s = memorizeSeed(p, streams(seed), true);
        const net = s.network!;
        expect(net.c).toBe((6 * s.interpolant.C) / 2000);
        expect(net.c).toBeGreaterThan(0);
        const kept = net.keptNeurons![0];
        expect(kept.length).toBe(net.kept[0]);
        // the raw network, drawn here from its stream: neuron i = (d normals → sphere, then u)
        const raw = streams(seed).get('network'), normals = new NormalSampler(raw), w = new Float64Array(p.d);
        let next = 0;
        for (let i = 0; i < 2000 && next < kept.length; i++) {
          drawSpherePoint(normals, w, 0, p.d);
          const u = raw.weight();
          if (kept[next].index === i) {
            expect(Array.from(kept[next].w)).toEqual(Array.from(w));
            expect(kept[next].u).toBe(u);
            next++;
          }
        }
        expect(next).toBe(kept.length);
        let maxError = 0;
        for (let j = 0; j < p.m; j++) {
          let g = 0;
          for (const neuron of kept) {
            let z = 0;
            for (let c = 0; c < p.d; c++) z += neuron.w[c] * s.points[j * p.d + c];
            g += neuron.u * Math.max(z, 0);
          }
          maxError = Math.max(maxError, Math.abs(net.c * g - s.labels[j]));
        }
        expect(Math.abs(maxError - s.maxError!)).toBeLessThan(1e-9);
        const row = memorize.run(p, streams(seed));
        expect(row[column('max_error')]).toBe(s.maxError);
        expect(row[column('success')]).toBe(s.maxError! <= p.epsilon ? 1 : 0);
        expect(row[column('kept')]).toBe(kept.length);
        expect(row[column('redraws')]).toBeNull();
      }
    }
  });

  it('is nested in k: the first k neurons and their keep decisions are those of any wider net', () => {
    const small = memorizeSeed(params({ k: 700 }), streams(4), true).network!.keptNeurons![0];
    const large = memorizeSeed(params({ k: 3000 }), streams(4), true).network!.keptNeurons![0];
    expect(large.filter((n) => n.index < 700).map((n) => [n.index, n.u])).toEqual(small.map((n) => [n.index, n.u]));
  });

  it('redraws: selection 0 is the no-redraw selection; success never drops; the first success is reported', () => {
    let helped = 0;
    for (let seed = 0; seed < 40; seed++) {
      const plain = memorizeSeed(params({ k: 3000 }), streams(seed));
      const redrawn = memorizeSeed(params({ k: 3000, redraws: 4 }), streams(seed));
      expect(Array.from(redrawn.network!.outputs.subarray(0, 4))).toEqual(Array.from(plain.network!.outputs));
      if (plain.success) expect(redrawn.selection).toBe(0);
      expect(redrawn.success || !plain.success).toBe(true);
      const row = memorize.run(params({ k: 3000, redraws: 4 }), streams(seed));
      expect(row[column('redraws')]).toBe(redrawn.selection);
      if (redrawn.success && !plain.success) helped++;
      if (!redrawn.success) expect(redrawn.selection).toBe(4);
    }
    expect(helped).toBeGreaterThan(0);
  });

  it('refuses widths above max_width: in resolve() as a UserError naming the width, per seed for "theory"', () => {
    expect(() => params({ k: 2e8 })).toThrow(UserError);
    expect(() => params({ k: 2e8 })).toThrow(/width k = 200000000 is above max_width = 100000000/);
    expect(() => params({ k: 'theory', epsilon: 0.01 })).toThrow(/k "theory" is at least \d+ for ±1 labels/);
    const p = params({ k: 'theory', labels: 'uniform', max_width: 1000 });
    expect(() => memorize.run(p, streams(0))).toThrow(/k "theory" is \d+ for this seed \(C = [\d.]+\), above max_width = 1000/);
  });
});
