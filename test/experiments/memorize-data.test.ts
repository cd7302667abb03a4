/**
 * `memorize` on real points (THEORY.md §9 with `data`): each seed's m points are distinct points
 * of the two classes on the sphere with labels ±1 by class; λ_min(H) is the smallest eigenvalue of
 * the sphere kernel's Gram matrix of those points (checked against an independent closed form
 * and Jacobi's method); c·ḡ(x_j) has variance (6C²·H_jj − y_j²)/k over networks and roundings
 * on real points too; the same seed gives the same row.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { memorize, memorizeSeed, type MemorizeParams } from '../../src/experiments/memorize.js';
import { roundedNetwork } from '../../src/pruning/memorization.js';
import { twoClassSphere } from '../../src/data/two-class-sphere.js';
import { Streams } from '../../src/rng/streams.js';
import { Rng } from '../../src/rng/rng.js';
import { expectWithinSE, mean, variance } from '../support/stats.js';
import { ROOT } from '../helpers/cli.js';

const slice = join(ROOT, 'data/fashion-mnist-slice');
// no d: with data it is the data's dimension
const given = {
  m: 4, points: 'uniform', separation: 0.1, clusters: 2, labels: 'sign', k: 200, epsilon: 1, delta: 0.1, redraws: 0, max_width: 1e8,
  data: slice, classes: '[0,6]',
};
const p = memorize.resolve(given) as MemorizeParams;
const source = twoClassSphere({ data: slice, split: 'test', classes: [0, 6] });
const streams = (seed: number) => Streams.forSeed(0x51, 0x52, seed);

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (independent of ml-matrix's tridiagonal QL). */
function jacobiEigenvalues(a: number[][]): number[] {
  const n = a.length, A = a.map((row) => [...row]);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += A[i][j] ** 2;
    if (off < 1e-40) break;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (A[i][j] === 0) continue;
        const theta = (A[j][j] - A[i][i]) / (2 * A[i][j]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const aki = A[k][i], akj = A[k][j];
          A[k][i] = c * aki - s * akj;
          A[k][j] = s * aki + c * akj;
        }
        for (let k = 0; k < n; k++) {
          const aik = A[i][k], ajk = A[j][k];
          A[i][k] = c * aik - s * ajk;
          A[j][k] = s * aik + c * ajk;
        }
      }
    }
  }
  return A.map((row, i) => row[i]);
}

describe('memorize on real points (Fashion-MNIST slice, classes [0, 6])', () => {
  it('resolves d = 784 from the data and records its size and content hash', () => {
    expect(p.d).toBe(784);
    expect(p.split).toBe('test');
    expect(p.data_points).toBe(source.count);
    expect(p.data_sha256).toBe(source.dataSha256);
  });

  it('each seed memorizes m distinct points of the two classes, y = +1 for class 0 and −1 for class 6', () => {
    const d = p.d, index = new Map<string, number>();
    for (let q = 0; q < source.count; q++) index.set(source.points.subarray(q * d, (q + 1) * d).join(','), q);
    for (let seed = 0; seed < 5; seed++) {
      const s = memorizeSeed(p, streams(seed));
      const rows = new Set<number>();
      for (let j = 0; j < p.m; j++) {
        const q = index.get(s.points.subarray(j * d, (j + 1) * d).join(','));
        expect(q).toBeDefined();
        expect(s.labels[j]).toBe(source.labels[q!]);
        rows.add(q!);
      }
      expect(rows.size).toBe(p.m);
    }
  });

  it('λ_min(H) equals the smallest eigenvalue of an independently computed Gram matrix (closed-form kernel, Jacobi)', () => {
    const d = p.d, m = p.m;
    for (let seed = 0; seed < 5; seed++) {
      const s = memorizeSeed(p, streams(seed));
      const H = Array.from({ length: m }, (_, j) => Array.from({ length: m }, (_, l) => {
        let t = 0;
        for (let c = 0; c < d; c++) t += s.points[j * d + c] * s.points[l * d + c];
        t = Math.max(-1, Math.min(1, t));
        const theta = j === l ? 0 : Math.acos(t);
        return (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta)) / (2 * Math.PI * d); // §8: w uniform on the sphere
      }));
      const lambda = Math.min(...jacobiEigenvalues(H));
      expect(lambda).toBeGreaterThan(0);
      expect(Math.abs(s.interpolant.lambdaMin - lambda)).toBeLessThanOrEqual(1e-9 * lambda);
      const row = memorize.run(p, streams(seed));
      expect(row[memorize.columns.findIndex((c) => c.name === 'lambda_min')]).toBe(s.interpolant.lambdaMin);
    }
  });

  it('c·ḡ(x_j) has variance (6C²·H_jj − y_j²)/k on the real points (over networks and roundings, 4.5 SE)', () => {
    const s = memorizeSeed(p, streams(0));
    const { m, d } = p, k = 40, R = 2500;
    const { beta, C, gram } = s.interpolant;
    const outputs = Array.from({ length: m }, () => new Float64Array(R));
    for (let r = 0; r < R; r++) {
      const net = roundedNetwork(new Rng(700 + r, 1), [new Rng(700 + r, 2)], s.points, m, d, beta!, C, k);
      for (let j = 0; j < m; j++) outputs[j][r] = net.outputs[j];
    }
    for (let j = 0; j < m; j++) {
      const exact = (6 * C * C * gram[j * m + j] - s.labels[j] ** 2) / k;
      expectWithinSE(mean(outputs[j]), s.labels[j], Math.sqrt(exact / R), `mean at point ${j}`);
      const mu = mean(outputs[j]);
      const mu4 = mean(outputs[j].map((x) => (x - mu) ** 4));
      expectWithinSE(variance(outputs[j]), exact, Math.sqrt((mu4 - exact ** 2) / R), `variance at point ${j}`);
    }
  });

  it('is deterministic: the same seed gives the same row, another seed another', () => {
    const a = memorize.run(p, streams(3)), b = memorize.run(memorize.resolve(given) as MemorizeParams, streams(3));
    expect(b).toEqual(a);
    expect(memorize.run(p, streams(4))).not.toEqual(a);
  });
});
