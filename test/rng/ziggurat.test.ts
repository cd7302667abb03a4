/**
 * The ziggurat normal sampler and sphere points of src/rng/ziggurat.ts: the law is
 * N(0, 1) (KS against Φ, moments, the tail beyond the ziggurat's R), sphere points have
 * unit norm and E[x_c²] = 1/d, and draws are sequential (a prefix never depends on what follows).
 */
import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/rng/rng.js';
import { NormalSampler, drawSpherePoint, fillSphereRows } from '../../src/rng/ziggurat.js';
import { ksOneSample, ksCritical, expectMean, expectFraction } from '../support/stats.js';

/** Φ via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: far below the KS tolerance here). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

const N = 400000;
const normals = new NormalSampler(new Rng(0x1234, 0x5678));
const xs = new Float64Array(N);
for (let i = 0; i < N; i++) xs[i] = normals.next();

describe('NormalSampler (ziggurat)', () => {
  it('has the N(0, 1) law (one-sample KS against Φ)', () => {
    expect(ksOneSample(xs, normalCdf)).toBeLessThan(ksCritical(N));
  });

  it('has mean 0, variance 1, E[x⁴] = 3 and E[|x|³] = 2√(2/π) within 4.5 SE', () => {
    expectMean(xs, 0, 'mean');
    expectMean(xs.map((x) => x * x), 1, 'E[x²]');
    expectMean(xs.map((x) => x ** 4), 3, 'E[x⁴]');
    expectMean(xs.map((x) => Math.abs(x) ** 3), 2 * Math.sqrt(2 / Math.PI), 'E[|x|³]');
  });

  it('samples the tail beyond R = 3.4426 at the normal rate, on both sides', () => {
    const R = 3.442619855899, M = 4000000;
    const sampler = new NormalSampler(new Rng(7, 8));
    let above = 0, below = 0;
    for (let i = 0; i < M; i++) {
      const x = sampler.next();
      if (x > R) above++;
      else if (x < -R) below++;
    }
    const p = 1 - normalCdf(R);
    expectFraction(above, M, p, 'P(x > R)');
    expectFraction(below, M, p, 'P(x < −R)');
    // and beyond 4.5, inside the tail routine
    let far = 0;
    for (const x of xs) if (Math.abs(x) > 4) far++;
    expectFraction(far, N, 2 * (1 - normalCdf(4)), 'P(|x| > 4)');
  });

  it('is sequential: the first draws do not depend on how many follow', () => {
    const a = new NormalSampler(new Rng(3, 4)), b = new NormalSampler(new Rng(3, 4));
    const first = Array.from({ length: 10 }, () => a.next());
    const again = Array.from({ length: 10 }, () => b.next());
    expect(again).toEqual(first);
  });
});

describe('sphere points', () => {
  it('have unit norm and E[x_c²] = 1/d, E[x_c] = 0', () => {
    const d = 7, rows = 20000;
    const out = new Float64Array(rows * d);
    fillSphereRows(new NormalSampler(new Rng(11, 12)), out, rows, d);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += out[r * d + c] ** 2;
      expect(Math.abs(s - 1)).toBeLessThan(1e-12);
    }
    for (const c of [0, 3, 6]) {
      const coordinate = Float64Array.from({ length: rows }, (_, r) => out[r * d + c]);
      expectMean(coordinate, 0, `E[x_${c}]`);
      expectMean(coordinate.map((x) => x * x), 1 / d, `E[x_${c}²]`);
    }
    const one = new Float64Array(d);
    drawSpherePoint(new NormalSampler(new Rng(11, 12)), one, 0, d);
    expect(Array.from(one)).toEqual(Array.from(out.subarray(0, d)));
  });
});
