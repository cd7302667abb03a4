import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read, parseCsv } from '../helpers/cli.js';
import { mean, variance, expectWithinSE, Z } from '../support/stats.js';

/**
 * neuron-rf end to end through the CLI (THEORY.md §8): the measured excess loss − groups_loss
 * of the rounding agrees with its exact expectation excess_expected within 4.5 standard
 * errors at T = 25 and T = 100, and falls like 1/T (ratio ≈ 4, paired over seeds: the
 * T = 25 cell shares its groups with the first 25 of T = 100). THEORY.md's numpy figures
 * for this cell (d = 5, n = 20, C = 2): excess ≈ 1.9 at T = 25, 0.47 at T = 100, ε_RF ≈ 0.006.
 */
const SEEDS = 240;
const dir = tempDir();
const trial = writeTrial(dir, {
  name: 'rf',
  experiment: 'neuron-rf',
  seeds: SEEDS,
  delta: 0.1,
  params: { d: 5, n: 20, C: 2, epsilon: 0.5, groups: [25, 100] },
});
const out = join(dir, 'run');
const result = lth(['run', trial, '--out', out, '--quiet', '--master-seed', '11']);
const rows = result.code === 0 ? parseCsv(read(join(out, 'rf', 'trials.csv'))) : [];
const byGroups = (T: number) => rows.filter((r) => Number(r.groups) === T).sort((a, b) => Number(a.seed_index) - Number(b.seed_index));

describe('neuron-rf: the rounding\'s excess loss against THEORY.md §8', () => {
  it('runs', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(rows.length).toBe(2 * SEEDS);
  });

  for (const T of [25, 100]) {
    it(`T = ${T}: mean of loss − groups_loss equals mean excess_expected within 4.5 SE`, () => {
      const cell = byGroups(T);
      const gap = cell.map((r) => Number(r.loss) - Number(r.groups_loss) - Number(r.excess_expected));
      expectWithinSE(mean(gap), 0, Math.sqrt(variance(gap) / gap.length), `T = ${T}`);
      for (const r of cell) {
        expect(r.success).toBe(Number(r.loss) <= 0.5 ? '1' : '0');
        expect(Number(r.loss_se)).toBeGreaterThan(0);
        expect(Number(r.k)).toBe(20 * T);
        expect(Number(r.c)).toBe(12 / T);
        expect(Number(r.excess_expected)).toBeLessThanOrEqual((6 * 4 * 20) / (2 * 5 * T) + 1e-12); // 6C²n·E σ²/T, E σ² = 1/(2d)
      }
    });
  }

  it('falls like 1/T: the T = 25 / T = 100 ratio of mean excesses is ≈ 4 (delta-method SE, paired seeds)', () => {
    const a = byGroups(25), b = byGroups(100);
    a.forEach((r, j) => expect(r.seed_index).toBe(b[j].seed_index));
    const x = a.map((r) => Number(r.loss) - Number(r.groups_loss));
    const y = b.map((r) => Number(r.loss) - Number(r.groups_loss));
    const mx = mean(x), my = mean(y), n = x.length;
    let cov = 0;
    for (let j = 0; j < n; j++) cov += (x[j] - mx) * (y[j] - my);
    cov /= n - 1;
    const ratio = mx / my;
    const se = Math.sqrt((variance(x) / (my * my) + (mx * mx * variance(y)) / my ** 4 - (2 * mx * cov) / my ** 3) / n);
    const expected = mean(a.map((r) => Number(r.excess_expected))) / mean(b.map((r) => Number(r.excess_expected)));
    expect(expected).toBeGreaterThan(3.9);
    expect(expected).toBeLessThan(4.1);
    expectWithinSE(ratio, expected, se, 'excess ratio T = 25 / T = 100');
    expect(se).toBeLessThan(0.4); // the check has power: ratio 2 or 8 would fail
  });

  it('reproduces THEORY.md\'s figures for this cell: excess ≈ 1.9 and 0.47, ε_RF ≈ 0.006', () => {
    const e25 = mean(byGroups(25).map((r) => Number(r.excess_expected)));
    const e100 = mean(byGroups(100).map((r) => Number(r.excess_expected)));
    expect(e25).toBeGreaterThan(1.85);
    expect(e25).toBeLessThanOrEqual(1.92);
    expect(e100).toBeGreaterThan(0.46);
    expect(e100).toBeLessThanOrEqual(0.48);
    const epsRf = byGroups(25).map((r) => Number(r.eps_rf)).sort((p, q) => p - q);
    const median = epsRf[epsRf.length >> 1];
    expect(median).toBeGreaterThan(0.002);
    expect(median).toBeLessThan(0.015);
    // f̄ is about as good as one reference fit (convexity: ε̄ ≤ the groups' mean loss ≈ ε_RF)
    expect(mean(byGroups(100).map((r) => Number(r.groups_loss)))).toBeLessThan(mean(epsRf) * (1 + Z / Math.sqrt(SEEDS)));
  });
});
