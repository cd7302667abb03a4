/**
 * THE key test of the pair rule (THEORY.md §4): geometric skipping (skipPair) must be
 * exact in distribution to scanning the stream unit by unit (scanPair). Both samplers
 * are compared with the closed forms and with each other, on independent streams:
 *   - K = max(T⁺, T⁻): P(K ≤ k) = 1 − 2(1−q)^k + (1−2q)^k, E[K] = 3/(2q),
 *     Var K = (1−2q)/(4q²) + (1−q)/q² (K = Geom(2q) + Geom(q));
 *   - the realized error e = max(|z⁺ − w|, |z⁻ − w|) of two independent hits:
 *     P(e ≤ t) = (p(w, t)/p(w, ε))² for t ≤ ε;
 *   - |v| (and |u|) of a kept unit: E = ∫_I (1 − |z|) dz / (2p), E[v²] = ∫_I (1 − z²) dz / (4p)
 *     over the window I = [w − ε, w + ε] ∩ [−1, 1] (joint density of (z, v) is 1/(4v) on
 *     |z| ≤ v ≤ 1 for v > 0; |u| has the same law by the u ↔ v symmetry);
 *   - the first hit is + or − with probability ½.
 */
import { describe, it, expect } from 'vitest';
import { PairDraw, skipPair, scanPair, pairSuccessProbability } from '../../src/pruning/pair-rule.js';
import { hitProbability } from '../../src/pruning/products.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';
import { Rng } from '../../src/rng/rng.js';
import {
  Z, mean, expectWithinSE, expectFraction, expectSameMean, fractionAtMost, ksOneSample, ksTwoSample, ksCritical,
} from '../support/stats.js';

const N = 100000;
const BIG = 1e12; // scan "to infinity": every tested case finds both hits long before

interface Sample {
  K: Float64Array; err: Float64Array; vPlus: Float64Array; vMinus: Float64Array; uPlus: Float64Array; uMinus: Float64Array;
  plusFirst: number; violations: string[];
}

function sample(kind: 'skip' | 'scan', w: number, eps: number, n = N): Sample {
  const [h, l] = cellSeed('pair-rule-test', kind, `w=${w},eps=${eps}`);
  const d = new PairDraw();
  const s: Sample = {
    K: new Float64Array(n), err: new Float64Array(n), vPlus: new Float64Array(n), vMinus: new Float64Array(n),
    uPlus: new Float64Array(n), uMinus: new Float64Array(n), plusFirst: 0, violations: [],
  };
  for (let i = 0; i < n; i++) {
    const rng = Streams.forSeed(h, l, i).get('block');
    if (kind === 'skip') skipPair(rng, w, eps, d); else scanPair(rng, w, eps, BIG, d);
    s.K[i] = d.criticalWidth;
    s.err[i] = d.error(w);
    s.vPlus[i] = Math.abs(d.vPlus); s.vMinus[i] = Math.abs(d.vMinus);
    s.uPlus[i] = Math.abs(d.uPlus); s.uMinus[i] = Math.abs(d.uMinus);
    if (d.plusIndex < d.minusIndex) s.plusFirst++;
    const bad = checkUnits(d, w, eps);
    if (bad && s.violations.length < 5) s.violations.push(`${kind} seed ${i}: ${bad}`);
  }
  return s;
}

/** The invariants every kept pair must satisfy; returns a description of the first violation. */
function checkUnits(d: PairDraw, w: number, eps: number): string | null {
  const tol = eps * (1 + 1e-12);
  if (!(d.vPlus > 0)) return `vPlus = ${d.vPlus} not > 0`;
  if (!(d.vMinus < 0)) return `vMinus = ${d.vMinus} not < 0`;
  for (const x of [d.uPlus, d.vPlus, d.uMinus, d.vMinus]) if (!(Math.abs(x) <= 1)) return `|${x}| > 1`;
  if (!(Math.abs(d.uPlus * d.vPlus - w) <= tol)) return `|u⁺v⁺ − w| = ${Math.abs(d.uPlus * d.vPlus - w)} > ε`;
  if (!(Math.abs(d.uMinus * d.vMinus - w) <= tol)) return `|u⁻v⁻ − w| = ${Math.abs(d.uMinus * d.vMinus - w)} > ε`;
  if (!(Number.isInteger(d.plusIndex) && d.plusIndex >= 1 && Number.isInteger(d.minusIndex) && d.minusIndex >= 1)) return 'bad indices';
  if (d.plusIndex === d.minusIndex) return 'both hits at the same unit';
  if (d.sampledUnits !== d.criticalWidth) return `sampledUnits ${d.sampledUnits} ≠ K ${d.criticalWidth}`;
  return null;
}

/** Smallest k with P(K ≤ k) ≥ target (bisection on the monotone pair formula). */
function quantileK(q: number, target: number): number {
  let lo = 0, hi = 1;
  while (pairSuccessProbability(q, hi) < target) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (pairSuccessProbability(q, mid) >= target) hi = mid; else lo = mid;
  }
  return hi;
}

/** ∫_lo^hi (1 − |z|) dz and ∫_lo^hi (1 − z²) dz. */
const G1 = (z: number) => z - Math.sign(z) * z * z / 2;
const G2 = (z: number) => z - z * z * z / 3;

const CASES: Array<[number, number]> = [
  [0.5, 0.1],
  [-0.9, 0.05],
  [0.02, 0.05], // window straddles 0
  [1, 0.2], // window cut at 1
  [-0.3, 0.4], // straddles 0, wide
];

describe('skipPair vs scanPair: same distribution', () => {
  for (const [w, eps] of CASES) {
    describe(`w = ${w}, ε = ${eps}`, () => {
      const p = hitProbability(w, eps), q = p / 2;
      const lo = Math.max(w - eps, -1), hi = Math.min(w + eps, 1);
      let skip: Sample, scan: Sample;
      const samples = () => {
        skip ??= sample('skip', w, eps);
        scan ??= sample('scan', w, eps);
        return { skip, scan };
      };

      it('every kept pair is valid: v⁺ > 0, v⁻ < 0, |u|, |v| ≤ 1, |uv − w| ≤ ε, sampledUnits = K', () => {
        const { skip, scan } = samples();
        expect(skip.violations).toEqual([]);
        expect(scan.violations).toEqual([]);
      });

      it('P(K ≤ k) matches the pair formula at its 10%, 50%, 90% quantiles, for both samplers', () => {
        const { skip, scan } = samples();
        for (const target of [0.1, 0.5, 0.9]) {
          const k = quantileK(q, target);
          const P = pairSuccessProbability(q, k);
          expectFraction(Math.round(fractionAtMost(skip.K, k) * N), N, P, `skip P(K ≤ ${k})`);
          expectFraction(Math.round(fractionAtMost(scan.K, k) * N), N, P, `scan P(K ≤ ${k})`);
        }
      });

      it('E[K] = 3/(2q) within 4.5 SE (exact Var K), for both samplers', () => {
        const { skip, scan } = samples();
        const sd = Math.sqrt((1 - 2 * q) / (4 * q * q) + (1 - q) / (q * q));
        expectWithinSE(mean(skip.K), 3 / (2 * q), sd / Math.sqrt(N), 'skip E[K]');
        expectWithinSE(mean(scan.K), 3 / (2 * q), sd / Math.sqrt(N), 'scan E[K]');
      });

      it('the first hit is + or − with probability ½', () => {
        const { skip, scan } = samples();
        expectFraction(skip.plusFirst, N, 0.5, 'skip P(T⁺ < T⁻)');
        expectFraction(scan.plusFirst, N, 0.5, 'scan P(T⁺ < T⁻)');
      });

      it('the realized error has CDF (p(w, t)/p(w, ε))², for both samplers, and the two samples agree (KS)', () => {
        const { skip, scan } = samples();
        const F = (t: number) => (t >= eps ? 1 : (hitProbability(w, t) / p) ** 2);
        for (const f of [0.25, 0.5, 0.75, 0.9]) {
          const t = f * eps;
          expectFraction(Math.round(fractionAtMost(skip.err, t) * N), N, F(t), `skip P(e ≤ ${t})`);
          expectFraction(Math.round(fractionAtMost(scan.err, t) * N), N, F(t), `scan P(e ≤ ${t})`);
        }
        expect(ksOneSample(skip.err, F), 'skip vs exact').toBeLessThan(ksCritical(N));
        expect(ksOneSample(scan.err, F), 'scan vs exact').toBeLessThan(ksCritical(N));
        expect(ksTwoSample(skip.err, scan.err), 'skip vs scan').toBeLessThan(ksCritical(N, N));
      });

      it('|v| and |u| of the kept units: means match the closed form, and skip matches scan (KS)', () => {
        const { skip, scan } = samples();
        const m1 = (G1(hi) - G1(lo)) / (2 * p);
        const m2 = (G2(hi) - G2(lo)) / (4 * p);
        const se = Math.sqrt((m2 - m1 * m1) / N);
        for (const key of ['vPlus', 'vMinus', 'uPlus', 'uMinus'] as const) {
          expectWithinSE(mean(skip[key]), m1, se, `skip E|${key}|`);
          expectWithinSE(mean(scan[key]), m1, se, `scan E|${key}|`);
          expectSameMean(skip[key], scan[key], `skip vs scan E|${key}|`);
          expect(ksTwoSample(skip[key], scan[key]), `KS |${key}|`).toBeLessThan(ksCritical(N, N));
        }
      });

      it('K is uncorrelated with the error (independent in both samplers)', () => {
        const { skip, scan } = samples();
        for (const [label, s] of [['skip', skip], ['scan', scan]] as const) {
          const mk = mean(s.K), me = mean(s.err);
          let c = 0, vk = 0, ve = 0;
          for (let i = 0; i < N; i++) {
            c += (s.K[i] - mk) * (s.err[i] - me); vk += (s.K[i] - mk) ** 2; ve += (s.err[i] - me) ** 2;
          }
          expectWithinSE(c / Math.sqrt(vk * ve), 0, 1 / Math.sqrt(N), `${label} corr(K, e)`);
        }
      });
    });
  }
});

describe('scanPair', () => {
  it('keeps exactly the first + and the first − hit of the stream (re-scanned independently)', () => {
    const [h, l] = cellSeed('pair-rule-test', 'rescan', '');
    const d = new PairDraw();
    for (const [w, eps] of [[0.5, 0.1], [0.02, 0.05], [-1, 0.3]]) {
      for (let i = 0; i < 2000; i++) {
        scanPair(Streams.forSeed(h, l, i).get('block'), w, eps, BIG, d);
        const rng = Streams.forSeed(h, l, i).get('block');
        let plus: [number, number, number] | null = null, minus: [number, number, number] | null = null;
        for (let t = 1; plus === null || minus === null; t++) {
          const u = 2 * rng.next() - 1, v = 2 * rng.next() - 1; // u first, then v, both U[−1, 1)
          if (Math.abs(u * v - w) > eps) continue;
          if (v > 0 && plus === null) plus = [t, u, v];
          if (v < 0 && minus === null) minus = [t, u, v];
        }
        expect([d.plusIndex, d.uPlus, d.vPlus]).toEqual(plus);
        expect([d.minusIndex, d.uMinus, d.vMinus]).toEqual(minus);
        expect(d.sampledUnits).toBe(Math.max(plus![0], minus![0]));
      }
    }
  });

  it('is nested in maxUnits: a shorter scan agrees wherever it found a hit, and stops at maxUnits otherwise', () => {
    const [h, l] = cellSeed('pair-rule-test', 'nested', '');
    const full = new PairDraw(), part = new PairDraw();
    const w = 0.9, eps = 0.05, k = 200; // E[K] ≈ 500, so both outcomes occur
    let cut = 0;
    for (let i = 0; i < 2000; i++) {
      scanPair(Streams.forSeed(h, l, i).get('block'), w, eps, BIG, full);
      scanPair(Streams.forSeed(h, l, i).get('block'), w, eps, k, part);
      if (full.criticalWidth <= k) {
        expect([part.plusIndex, part.minusIndex, part.uPlus, part.vPlus, part.uMinus, part.vMinus])
          .toEqual([full.plusIndex, full.minusIndex, full.uPlus, full.vPlus, full.uMinus, full.vMinus]);
        expect(part.sampledUnits).toBe(full.criticalWidth);
      } else {
        cut++;
        expect(part.sampledUnits).toBe(k);
        expect(part.plusIndex === 0 || part.minusIndex === 0).toBe(true);
        expect(part.plusIndex).toBe(full.plusIndex <= k ? full.plusIndex : 0);
        expect(part.minusIndex).toBe(full.minusIndex <= k ? full.minusIndex : 0);
      }
    }
    expect(cut).toBeGreaterThan(0);
    expect(cut).toBeLessThan(2000);
  });
});

/** An Rng that counts its draws: the cost of skipPair in random numbers. */
class CountingRng extends Rng {
  draws = 0;
  override next(): number {
    this.draws++;
    return super.next();
  }
}

describe('skipPair cost does not depend on ε', () => {
  it('uses the same number of random draws per seed at ε = 0.1, 1e-6 and 1e-9', () => {
    const perSeed: number[] = [];
    for (const eps of [0.1, 1e-6, 1e-9]) {
      const rng = new CountingRng(3, 4);
      const d = new PairDraw();
      for (let i = 0; i < 1000; i++) skipPair(rng, 0.5, eps, d);
      perSeed.push(rng.draws / 1000);
    }
    expect(perSeed[1]).toBe(perSeed[0]);
    expect(perSeed[2]).toBe(perSeed[0]);
    expect(perSeed[0]).toBeLessThanOrEqual(12);
  });

  it('at ε = 1e-6 it still returns valid units with error ≤ ε, and K has mean 3/(2q)', () => {
    const [h, l] = cellSeed('pair-rule-test', 'tiny-eps', '');
    const d = new PairDraw();
    const n = 20000;
    const t0 = performance.now();
    for (const w of [0.5, -0.3, 0.999, 1, 0, 1e-7]) {
      const eps = 1e-6;
      const q = hitProbability(w, eps) / 2;
      const scaled = new Float64Array(n);
      const violations: string[] = [];
      for (let i = 0; i < n; i++) {
        skipPair(Streams.forSeed(h, l, i).get('block'), w, eps, d);
        const bad = checkUnits(d, w, eps);
        if (bad && violations.length < 5) violations.push(`seed ${i}: ${bad}`);
        scaled[i] = q * d.criticalWidth;
      }
      expect(violations, `w = ${w}`).toEqual([]);
      // q·K: mean 3/2, Var = (1 − 2q)/4 + (1 − q)
      expectWithinSE(mean(scaled), 1.5, Math.sqrt(((1 - 2 * q) / 4 + (1 - q)) / n), `w = ${w}: E[q·K]`, Z);
    }
    // 120 000 seeds; scanning would need ~10^12 units. Generous bound, not a benchmark.
    expect(performance.now() - t0).toBeLessThan(10000);
  });
});
