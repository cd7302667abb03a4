/**
 * The record chain (THEORY.md §5b) must be exact in distribution to scanning a block unit
 * by unit. For one weight, with k units (u, v) ~ U[−1, 1]², compared with closed forms and
 * with a scan of independent streams:
 *   - the best error of a side: P(min over v > 0 units of |uv − w| ≤ e) = 1 − (1 − p(w, e)/2)^k;
 *   - the global block error e_ab(k) = max over sides of min(best, |w|) (KS, chain vs scan);
 *   - the number of records among the first k: E = Σ_{j≤k} 2(1 − 2^{−j})/j (each unit j is a
 *     record of its side with probability (1 − 2^{−j})/j), variance Σ p_j(1 − p_j) + covariances,
 *     so the chain is compared with the scan (two-sample) and with the mean at a 4.5-SE tolerance
 *     from the scan's own variance;
 *   - the per-weight units read off the chain: K = max(T⁺, T⁻) has the pair formula and the
 *     error CDF (p(w, t)/p(w, ε))², as skipPair's (§4);
 *   - every kept unit is a valid unit of its side, with |uv − w| equal to the chain's error.
 */
import { describe, it, expect } from 'vitest';
import { RecordChain } from '../../src/pruning/record-chain.js';
import { pairSuccessProbability } from '../../src/pruning/pair-rule.js';
import { hitProbability, invertHitProbability } from '../../src/pruning/products.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';
import type { Rng } from '../../src/rng/rng.js';
import { mean, variance, expectFraction, expectWithinSE, fractionAtMost, ksTwoSample, ksCritical } from '../support/stats.js';

const N = 40000;

interface GlobalSample { bestPlus: Float64Array; error: Float64Array; records: Float64Array; violations: string[] }

/** Scan: all k units, best error per side, e_ab, and the number of records (strict improvements of a side). */
function scanBlock(rng: Rng, w: number, k: number): [number, number, number] {
  let bestPlus = Infinity, bestMinus = Infinity, records = 0;
  for (let t = 1; t <= k; t++) {
    const u = rng.weight(), v = rng.weight();
    const e = Math.abs(u * v - w);
    if (v > 0 && e < bestPlus) { bestPlus = e; records++; }
    else if (v < 0 && e < bestMinus) { bestMinus = e; records++; }
  }
  const absW = Math.abs(w);
  return [bestPlus, Math.max(Math.min(bestPlus, absW), Math.min(bestMinus, absW)), records];
}

function sampleGlobal(kind: 'chain' | 'scan', w: number, k: number, tau: number): GlobalSample {
  const [h, l] = cellSeed('record-chain-test', kind, `w=${w},k=${k}`);
  const s: GlobalSample = { bestPlus: new Float64Array(N), error: new Float64Array(N), records: new Float64Array(N), violations: [] };
  const chain = new RecordChain(), unit = new Float64Array(2);
  for (let i = 0; i < N; i++) {
    const rng = Streams.forSeed(h, l, i).get('block');
    if (kind === 'scan') {
      [s.bestPlus[i], s.error[i], s.records[i]] = scanBlock(rng, w, k);
      continue;
    }
    chain.run(rng, w, tau, false, k, null);
    // the + side's best error itself (not capped at |w|, which only decides what is kept)
    s.bestPlus[i] = chain.bestPlusIndex > 0 ? invertHitProbability(w, 2 * chain.bestPlusS) : Infinity;
    s.error[i] = chain.globalError;
    s.records[i] = chain.recordsWithinK;
    for (const side of [1, -1] as const) {
      const index = side > 0 ? chain.bestPlusIndex : chain.bestMinusIndex;
      const level = side > 0 ? chain.bestPlusS : chain.bestMinusS;
      if (index === 0 || level >= chain.noneS) continue;
      const e = chain.errorAtLevel(level);
      chain.bestUnit(side, e, unit);
      const [u, v] = unit;
      const bad = !(Math.abs(u) <= 1 && Math.abs(v) <= 1 && Math.sign(v) === side && index <= k && Math.abs(Math.abs(u * v - w) - e) <= 1e-12);
      if (bad && s.violations.length < 5) s.violations.push(`seed ${i} side ${side}: u = ${u}, v = ${v}, e = ${e}, index ${index}`);
    }
    if (chain.globalError > Math.abs(w) && s.violations.length < 5) s.violations.push(`seed ${i}: e_ab ${chain.globalError} > |w|`);
  }
  return s;
}

/** E[records among k units] = Σ_{j ≤ k} 2(1 − 2^{−j})/j. */
function expectedRecords(k: number): number {
  let sum = 0;
  for (let j = 1; j <= k; j++) sum += (2 * (1 - Math.pow(2, -j))) / j;
  return sum;
}

const CASES: Array<[number, number]> = [[0.5, 200], [-0.9, 300], [0.02, 150]];

describe('record chain vs scan, global criterion (THEORY.md §5b)', () => {
  for (const [w, k] of CASES) {
    describe(`w = ${w}, k = ${k}`, () => {
      let chain: GlobalSample, scan: GlobalSample;
      const samples = () => {
        chain ??= sampleGlobal('chain', w, k, 0.01);
        scan ??= sampleGlobal('scan', w, k, 0.01);
        return { chain, scan };
      };

      it('every kept unit is valid: |u|, |v| ≤ 1, v on its side, index ≤ k, |uv − w| = the chain\'s error; e_ab ≤ |w|', () => {
        expect(samples().chain.violations).toEqual([]);
      });

      it('the best error of a side has CDF 1 − (1 − p(w, e)/2)^k (chain and scan)', () => {
        const { chain, scan } = samples();
        const F = (e: number) => 1 - Math.pow(1 - hitProbability(w, e) / 2, k);
        // levels where the CDF is 10%…90%
        for (const target of [0.1, 0.3, 0.5, 0.7, 0.9]) {
          let lo = 0, hi = 2;
          for (let j = 0; j < 60; j++) { const mid = (lo + hi) / 2; if (F(mid) < target) lo = mid; else hi = mid; }
          expectFraction(Math.round(fractionAtMost(chain.bestPlus, hi) * N), N, F(hi), `chain P(best⁺ ≤ ${hi.toPrecision(3)})`);
          expectFraction(Math.round(fractionAtMost(scan.bestPlus, hi) * N), N, F(hi), `scan P(best⁺ ≤ ${hi.toPrecision(3)})`);
        }
      });

      it('e_ab(k) has the same law for chain and scan (KS)', () => {
        const { chain, scan } = samples();
        expect(ksTwoSample(chain.error, scan.error)).toBeLessThan(ksCritical(N, N));
      });

      it('the number of records among the first k has mean Σ 2(1 − 2^{−j})/j, and the same law as the scan\'s', () => {
        const { chain, scan } = samples();
        const se = Math.sqrt(variance(scan.records) / N);
        expectWithinSE(mean(chain.records), expectedRecords(k), se, 'chain E[records]');
        expectWithinSE(mean(scan.records), expectedRecords(k), se, 'scan E[records]');
        expect(ksTwoSample(chain.records, scan.records)).toBeLessThan(ksCritical(N, N));
      });
    });
  }

  it('THEORY.md §5b: 10.37 records expected at k = 200', () => {
    expect(expectedRecords(200)).toBeCloseTo(10.37, 2);
  });
});

describe('record chain, per-weight units (THEORY.md §4 read off the chain)', () => {
  for (const [w, eps] of [[0.5, 0.1], [-0.9, 0.05], [0.02, 0.05]] as const) {
    it(`w = ${w}, ε = ${eps}: P(K ≤ k) is the pair formula and the error has CDF (p(w, t)/p(w, ε))²`, () => {
      const [h, l] = cellSeed('record-chain-test', 'per-weight', `w=${w},eps=${eps}`);
      const chain = new RecordChain(), unit = new Float64Array(2);
      const K = new Float64Array(N), err = new Float64Array(N);
      const violations: string[] = [];
      for (let i = 0; i < N; i++) {
        chain.run(Streams.forSeed(h, l, i).get('block'), w, eps, false, 0, null);
        K[i] = Math.max(chain.plusIndex, chain.minusIndex);
        const ePlus = chain.perWeightError(1), eMinus = chain.perWeightError(-1);
        err[i] = Math.max(ePlus, eMinus);
        for (const [side, e] of [[1, ePlus], [-1, eMinus]] as const) {
          const [u, v] = chain.perWeightUnit(side, e, unit);
          if (!(Math.abs(u) <= 1 && Math.abs(v) <= 1 && Math.sign(v) === side && Math.abs(u * v - w) <= eps * (1 + 1e-12)) && violations.length < 5) {
            violations.push(`seed ${i}: u = ${u}, v = ${v}`);
          }
        }
        if (chain.sampledUnits !== K[i] && violations.length < 5) violations.push(`seed ${i}: sampledUnits ${chain.sampledUnits} ≠ K ${K[i]}`);
      }
      expect(violations).toEqual([]);
      const p = hitProbability(w, eps), q = p / 2;
      for (const k of [Math.round(0.5 / q), Math.round(1.5 / q), Math.round(4 / q)]) {
        expectFraction(Math.round(fractionAtMost(K, k) * N), N, pairSuccessProbability(q, k), `P(K ≤ ${k})`);
      }
      for (const f of [0.25, 0.5, 0.9]) {
        expectFraction(Math.round(fractionAtMost(err, f * eps) * N), N, (hitProbability(w, f * eps) / p) ** 2, `P(e ≤ ${f}ε)`);
      }
    });
  }

  it('per-weight units do not depend on the criterion: the global run reads the same first hits', () => {
    const [h, l] = cellSeed('record-chain-test', 'same-draws', '');
    const a = new RecordChain(), b = new RecordChain(), ua = new Float64Array(2), ub = new Float64Array(2);
    for (let i = 0; i < 3000; i++) {
      a.run(Streams.forSeed(h, l, i).get('block'), 0.4, 0.02, false, 0, null);
      b.run(Streams.forSeed(h, l, i).get('block'), 0.4, 0.02, false, 500, null);
      expect([b.plusIndex, b.minusIndex]).toEqual([a.plusIndex, a.minusIndex]);
      for (const side of [1, -1] as const) {
        expect(b.perWeightUnit(side, b.perWeightError(side), ub)).toEqual(a.perWeightUnit(side, a.perWeightError(side), ua));
      }
      // and the best unit of a side is at least as close as the first one within τ, when that is among the k
      if (b.plusIndex <= 500) expect(invertHitProbability(0.4, 2 * b.bestPlusS)).toBeLessThanOrEqual(a.perWeightError(1));
    }
  });
});
