/**
 * Box-constrained least squares (src/pruning/box-ls.ts): the unconstrained solution when
 * the box is inactive, the brute-force optimum over every face of the box when it is
 * active (all 3^n faces for n ≤ 6; 2-D included), the KKT conditions at n = 20, and a
 * feasible finite answer for a singular Gram matrix.
 */
import { describe, it, expect } from 'vitest';
import { Matrix, solve } from 'ml-matrix';
import { Rng } from '../../src/rng/rng.js';
import { BoxLeastSquares, boxObjective } from '../../src/pruning/box-ls.js';
import { normalEquations } from '../../src/nn/random-features.js';

/**
 * G = ΦᵀΦ/N, b = Φᵀy/N for a random Φ (N × n) whose columns share a common factor with
 * weight ±`correlation` (random signs), and random y. Strong correlation makes the
 * active set's path leave and re-enter faces (bounds get released).
 */
function randomProblem(rng: Rng, n: number, N: number, scale = 1, correlation = 0.7): { gram: Float64Array; moment: Float64Array } {
  const phi = new Float64Array(N * n), y = new Float64Array(N);
  const signs = Array.from({ length: n }, () => (rng.next() < 0.5 ? -correlation : correlation));
  for (let p = 0; p < N; p++) {
    const common = rng.weight();
    for (let i = 0; i < n; i++) phi[p * n + i] = rng.weight() + signs[i] * common;
    y[p] = scale * rng.weight();
  }
  const gram = new Float64Array(n * n), moment = new Float64Array(n);
  normalEquations(phi, N, n, y, gram, moment);
  return { gram, moment };
}

/** Minimizes q over the box by trying every face: coordinates fixed at −C, +C or free (solved exactly). */
function bruteForce(gram: Float64Array, moment: Float64Array, n: number, C: number): { v: number[]; q: number } {
  let best = { v: [] as number[], q: Infinity };
  for (let code = 0; code < 3 ** n; code++) {
    const state: number[] = [];
    for (let i = 0, c = code; i < n; i++, c = Math.floor(c / 3)) state.push((c % 3) - 1); // −1, 0 (free), +1
    const free = state.map((s, i) => (s === 0 ? i : -1)).filter((i) => i >= 0);
    const v = state.map((s) => s * C);
    if (free.length > 0) {
      const A = new Matrix(free.map((i) => free.map((j) => gram[i * n + j])));
      const rhs = Matrix.columnVector(free.map((i) => moment[i] - state.reduce((acc, s, j) => acc + (s !== 0 ? gram[i * n + j] * s * C : 0), 0)));
      const x = solve(A, rhs).getColumn(0);
      if (x.some((value) => Math.abs(value) > C * (1 + 1e-12))) continue;
      free.forEach((i, a) => (v[i] = x[a]));
    }
    const q = boxObjective(gram, moment, v, n);
    if (q < best.q) best = { v, q };
  }
  return best;
}

describe('BoxLeastSquares', () => {
  it('equals the unconstrained least-squares solve when the box is inactive', () => {
    const rng = new Rng(1, 1);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + (trial % 9);
      const { gram, moment } = randomProblem(rng, n, 60);
      const exact = solve(new Matrix(Array.from({ length: n }, (_, i) => Array.from(gram.subarray(i * n, i * n + n)))), Matrix.columnVector(Array.from(moment))).getColumn(0);
      const C = 10 * Math.max(...exact.map(Math.abs));
      const v = new BoxLeastSquares(n).solve(gram, moment, C, new Float64Array(n));
      exact.forEach((x, i) => expect(Math.abs(v[i] - x)).toBeLessThan(1e-9 * (1 + Math.abs(x))));
    }
  });

  it('equals brute force over the faces of the box in 2-D and up to n = 6 when the box is active', () => {
    const rng = new Rng(2, 2);
    let active = 0, releases = 0;
    for (let trial = 0; trial < 240; trial++) {
      const n = 2 + (trial % 5);
      const hard = trial % 2 === 1; // strongly correlated, few points, small box
      const { gram, moment } = hard ? randomProblem(rng, n, n + 2, 3, 3) : randomProblem(rng, n, 3 * n + 4, 3);
      const C = hard ? 0.05 + rng.next() * 0.3 : 0.05 + rng.next() * 1.5;
      const solver = new BoxLeastSquares(n);
      const v = solver.solve(gram, moment, C, new Float64Array(n));
      releases += solver.releases;
      const best = bruteForce(gram, moment, n, C);
      for (let i = 0; i < n; i++) {
        expect(Math.abs(v[i])).toBeLessThanOrEqual(C);
        expect(Math.abs(v[i] - best.v[i]), `trial ${trial}, n = ${n}, coordinate ${i}`).toBeLessThan(1e-8);
      }
      expect(boxObjective(gram, moment, v, n)).toBeLessThanOrEqual(best.q + 1e-12);
      if (best.v.some((x) => Math.abs(x) === C)) active++;
    }
    expect(active).toBeGreaterThan(120); // the box binds in most of these problems
    expect(releases).toBeGreaterThan(20); // and step 2's release branch is exercised
  });

  it('satisfies the KKT conditions at n = 20 (free: zero gradient; at ±C: gradient pointing out)', () => {
    const rng = new Rng(3, 3);
    const n = 20;
    let freeTotal = 0;
    for (let trial = 0; trial < 30; trial++) {
      const { gram, moment } = randomProblem(rng, n, 200, 5);
      const C = 0.02 + 0.2 * rng.next();
      const solver = new BoxLeastSquares(n);
      const v = solver.solve(gram, moment, C, new Float64Array(n));
      let bound = 0;
      for (let i = 0; i < n; i++) {
        let g = -moment[i];
        for (let j = 0; j < n; j++) g += gram[i * n + j] * v[j];
        if (v[i] === C) { expect(g).toBeLessThanOrEqual(1e-10); bound++; }
        else if (v[i] === -C) { expect(g).toBeGreaterThanOrEqual(-1e-10); bound++; }
        else { expect(Math.abs(v[i])).toBeLessThan(C); expect(Math.abs(g)).toBeLessThan(1e-10); freeTotal++; }
      }
      expect(bound).toBeGreaterThan(0);
      expect(solver.iterations).toBeLessThan(20 * n);
    }
    expect(freeTotal).toBeGreaterThan(30);
  });

  it('returns a feasible, finite fit for a singular Gram matrix (fewer points than features)', () => {
    const rng = new Rng(4, 4);
    const n = 12;
    const { gram, moment } = randomProblem(rng, n, 5, 2);
    const v = new BoxLeastSquares(n).solve(gram, moment, 1.5, new Float64Array(n));
    for (let i = 0; i < n; i++) expect(Math.abs(v[i])).toBeLessThanOrEqual(1.5);
    expect(boxObjective(gram, moment, v, n)).toBeLessThan(boxObjective(gram, moment, new Float64Array(n), n));
  });
});
