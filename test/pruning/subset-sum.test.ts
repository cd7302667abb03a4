import { describe, it, expect } from 'vitest';
import { SubsetSumSolver, chosenIndices } from '../../src/pruning/subset-sum.js';
import { SubsetSumBlock } from '../../src/pruning/subset-sum-block.js';
import { integrate } from '../../src/stats/integrate.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

/** THEORY.md §6: random subset sums, and the exact meet-in-the-middle solver. */
function rngFor(label: string, i: number) {
  const [hi, lo] = cellSeed('subset-sum-test', label, 'x');
  return Streams.forSeed(hi, lo, i).get('values');
}

function bruteForce(values: number[], target: number): number {
  let best = Math.abs(target); // the empty subset
  for (let mask = 1; mask < 1 << values.length; mask++) {
    let s = 0;
    for (let j = 0; j < values.length; j++) if ((mask >> j) & 1) s += values[j];
    best = Math.min(best, Math.abs(s - target));
  }
  return best;
}

/** P_n(z, ε) by Monte Carlo with the exact solver: some subset of n U[−1, 1] values is within ε of z. */
function monteCarloP(n: number, z: number, eps: number, samples: number, label: string): number {
  const solver = new SubsetSumSolver();
  const values = new Float64Array(n);
  let hits = 0;
  for (let i = 0; i < samples; i++) {
    const rng = rngFor(label, i);
    for (let j = 0; j < n; j++) values[j] = rng.weight();
    if (solver.solve(values, 0, n, z).error <= eps) hits++;
  }
  return hits / samples;
}

describe('exact closest subset sum', () => {
  it('equals brute force over all subsets for random blocks up to 20 units', () => {
    const solver = new SubsetSumSolver();
    for (let n = 0; n <= 20; n++) {
      for (let trial = 0; trial < (n <= 14 ? 30 : 4); trial++) {
        const rng = rngFor(`brute-${n}`, trial);
        const values = Array.from({ length: n }, () => rng.weight());
        const target = 2 * rng.weight();
        const result = solver.solve(values, 0, n, target);
        expect(result.error).toBeCloseTo(bruteForce(values, target), 12);
        // the reported subset really has that sum
        const chosen = chosenIndices(result, n);
        expect(Math.abs(chosen.reduce((s, j) => s + values[j], 0) - result.sum)).toBeLessThan(1e-12);
        expect(result.error).toBeCloseTo(Math.abs(result.sum - target), 15);
      }
    }
  });

  it('refuses more values than the exact-search limit', () => {
    expect(() => new SubsetSumSolver().solve(new Float64Array(49), 0, 49, 0.5)).toThrow(/exact-search limit 48/);
  });
});

describe('THEORY.md §6 references', () => {
  /** 1 − P_2 = ½∫ [X₁ ∉ I]·(1 − ½·len([−1,1] ∩ (I ∪ (I − X₁)))) dX₁ for |z| > ε, I = [z − ε, z + ε]. */
  function exactP2(z: number, eps: number): number {
    const lo = z - eps, hi = z + eps;
    const clip = (a: number, b: number): [number, number] => [Math.max(a, -1), Math.min(b, 1)];
    const f = (x1: number) => {
      if (x1 >= lo && x1 <= hi) return 0;
      const [a1, b1] = clip(lo, hi), [a2, b2] = clip(lo - x1, hi - x1);
      const len1 = Math.max(0, b1 - a1), len2 = Math.max(0, b2 - a2);
      const overlap = Math.max(0, Math.min(b1, b2) - Math.max(a1, a2));
      return 1 - 0.5 * (len1 + len2 - overlap);
    };
    const breaks = [lo, hi, lo - 1, hi - 1, lo + 1, hi + 1].filter((x) => x > -1 && x < 1).sort((a, b) => a - b);
    const points = [-1, ...breaks, 1];
    let total = 0;
    for (let j = 0; j + 1 < points.length; j++) total += integrate(f, points[j], points[j + 1]);
    return 1 - 0.5 * total;
  }

  it('P_2 exact values: 0.1300, 0.0558, 0.0250 (formula and Monte Carlo with the solver)', () => {
    const N = 100000;
    for (const [z, eps, reference] of [[0.5, 0.05, 0.13], [-0.3, 0.02, 0.0558], [1.5, 0.1, 0.025]] as const) {
      expect(exactP2(z, eps)).toBeCloseTo(reference, 4);
      const p = monteCarloP(2, z, eps, N, `p2-${z}`);
      expect(Math.abs(p - reference)).toBeLessThanOrEqual(4.5 * Math.sqrt(reference * (1 - reference) / N) + 5e-5);
    }
  });

  it('P_n(0.7, ε) for n = 4…14 matches the Monte Carlo table within its ±0.01', () => {
    const table: [number, number[]][] = [
      [0.01, [0.106, 0.316, 0.675, 0.905, 0.969, 0.990]],
      [0.001, [0.009, 0.039, 0.136, 0.402, 0.785, 0.939]],
    ];
    const N = 8000;
    for (const [eps, values] of table) {
      [4, 6, 8, 10, 12, 14].forEach((n, j) => {
        const p = monteCarloP(n, 0.7, eps, N, `table-${eps}-${n}`);
        const se = Math.sqrt(Math.max(values[j] * (1 - values[j]), 1 / N) / N);
        expect(Math.abs(p - values[j]), `n = ${n}, ε = ${eps}: ${p} vs ${values[j]}`).toBeLessThanOrEqual(0.01 + 4.5 * se);
      });
    }
  });
});

describe('a subset-sum block', () => {
  it('keeps a subset of each sign side, its error is that subset\'s, and the critical width is the first k that succeeds', () => {
    const block = new SubsetSumBlock(48);
    for (let i = 0; i < 200; i++) {
      const rng = rngFor('block', i);
      block.scan(rng, 30);
      const w = rngFor('block-w', i).weight();
      const critical = block.criticalWidth(30, w, 0.02);
      for (const t of block.keptPlus) expect(block.v[t]).toBeGreaterThan(0);
      for (const t of block.keptMinus) expect(block.v[t]).toBeLessThan(0);
      const sum = (ts: number[]) => ts.reduce((s, t) => s + block.u[t] * block.v[t], 0);
      expect(Math.abs(Math.abs(sum(block.keptPlus) - w) - block.errorPlus)).toBeLessThan(1e-12);
      expect(Math.abs(Math.abs(sum(block.keptMinus) - w) - block.errorMinus)).toBeLessThan(1e-12);
      if (critical === 0) {
        expect(Math.max(block.errorPlus, block.errorMinus)).toBeGreaterThan(0.02);
        continue;
      }
      expect(block.solve(critical, w)).toBeLessThanOrEqual(0.02);
      if (critical > 1) expect(block.solve(critical - 1, w)).toBeGreaterThan(0.02);
      for (let k = critical; k <= 30; k += 5) expect(block.solve(k, w)).toBeLessThanOrEqual(0.02); // monotone in k
    }
  });
});
