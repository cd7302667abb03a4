/** Exact (Clopper–Pearson) binomial interval against R and an independent Python reference. */
import { describe, it, expect } from 'vitest';
import { clopperPearson } from '../../src/stats/clopper-pearson.js';
import { relErr } from '../support/stats.js';

/**
 * Pasted from `python3 bench/reference/clopper_pearson.py` (bisection on exact binomial
 * tails with exact integer binomial coefficients and log-sum-exp; shares nothing with
 * jStat): [successes, trials, confidence, low, high].
 */
const PYTHON_REFERENCE: Array<[number, number, number, number, number]> = [
  [682, 925, 0.95, 0.7076682640790393, 0.7654065582415268],
  [7, 20, 0.95, 0.15390920478454123, 0.5921885345328279],
  [9990, 10000, 0.95, 0.9981617358657895, 0.999520360276229],
  [9990, 10000, 0.99, 0.9978614365175615, 0.9996282095607159],
  [5, 100000, 0.95, 1.6235056817057816e-05, 0.00011667943042027704],
  [5, 100000, 0.99, 1.0779439899174968e-05, 0.00014149112088792211],
  [50, 100, 0.95, 0.398321129503301, 0.6016788704966991],
  [50, 100, 0.99, 0.36886143735892396, 0.6311385626410759],
  [1, 10, 0.95, 0.0025285785444617865, 0.4450161170281953],
  [36, 36, 0.95, 0.902606244085508, 1.0],
  [0, 36, 0.95, 0.0, 0.09739375591449193],
  [999, 1000, 0.999, 0.9900461856590492, 0.9999994998750834],
  [1, 1000000, 0.95, 2.5317807663794194e-08, 5.5716306551722425e-06],
];

describe('clopperPearson', () => {
  it('matches R binom.test (7 printed digits)', () => {
    // R: binom.test(682, 925)$conf.int and binom.test(7, 20)$conf.int
    const a = clopperPearson(682, 925);
    expect(Math.abs(a.low - 0.7076683)).toBeLessThan(6e-8);
    expect(Math.abs(a.high - 0.7654066)).toBeLessThan(6e-8);
    const b = clopperPearson(7, 20);
    expect(Math.abs(b.low - 0.1539092)).toBeLessThan(6e-8);
    expect(Math.abs(b.high - 0.5921885)).toBeLessThan(6e-8);
  });

  it('matches the independent Python reference to 1e-8 relative', () => {
    for (const [x, n, c, low, high] of PYTHON_REFERENCE) {
      const r = clopperPearson(x, n, c);
      expect(relErr(r.low, low), `(${x}, ${n}, ${c}) low`).toBeLessThan(1e-8);
      expect(relErr(r.high, high), `(${x}, ${n}, ${c}) high`).toBeLessThan(1e-8);
    }
  });

  it('x = 0 and x = n use the closed forms 1 − (α/2)^(1/n) and (α/2)^(1/n)', () => {
    for (const n of [1, 10, 36, 368, 10000, 1e7]) {
      for (const c of [0.9, 0.95, 0.99]) {
        const e = Math.pow((1 - c) / 2, 1 / n);
        expect(clopperPearson(n, n, c)).toEqual({ low: e, high: 1 });
        const z = clopperPearson(0, n, c);
        expect(z.low).toBe(0);
        expect(relErr(z.high, 1 - e)).toBeLessThan(1e-12);
      }
    }
  });

  it('contains x/n, is symmetric under x → n − x, and widens with the confidence', () => {
    for (const [x, n] of [[1, 2], [3, 17], [50, 100], [999, 1000], [12, 100000]]) {
      const r = clopperPearson(x, n), m = clopperPearson(n - x, n);
      expect(r.low).toBeLessThanOrEqual(x / n);
      expect(r.high).toBeGreaterThanOrEqual(x / n);
      expect(Math.abs(r.low - (1 - m.high))).toBeLessThan(1e-10);
      expect(Math.abs(r.high - (1 - m.low))).toBeLessThan(1e-10);
      const wide = clopperPearson(x, n, 0.999);
      expect(wide.low).toBeLessThan(r.low);
      expect(wide.high).toBeGreaterThan(r.high);
    }
  });

  it('has exact coverage ≥ the confidence (summing the binomial pmf over x)', () => {
    for (const n of [10, 37, 200]) {
      const intervals = Array.from({ length: n + 1 }, (_, x) => clopperPearson(x, n, 0.95));
      for (const p of [0.01, 0.05, 0.2, 0.5, 0.77, 0.97]) {
        let coverage = 0;
        let logC = 0; // log C(n, x)
        for (let x = 0; x <= n; x++) {
          if (x > 0) logC += Math.log((n - x + 1) / x);
          const { low, high } = intervals[x];
          if (low <= p && p <= high) coverage += Math.exp(logC + x * Math.log(p) + (n - x) * Math.log1p(-p));
        }
        expect(coverage, `n = ${n}, p = ${p}`).toBeGreaterThanOrEqual(0.95 - 1e-12);
      }
    }
  });

  it('no trials gives [0, 1]', () => {
    expect(clopperPearson(0, 0)).toEqual({ low: 0, high: 1 });
  });
});
