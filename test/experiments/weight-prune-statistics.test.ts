import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read, parseCsv } from '../helpers/cli.js';
import { constructionTheoryWidths } from '../../src/pruning/construction-theory.js';

/**
 * weight-prune end to end through the CLI: p_hat against the mean of the per-seed exact
 * probability (private blocks, THEORY.md §5) within 4.5 standard errors, and exact
 * per-seed critical widths across cells that differ only in k.
 */
const SEEDS = 2500;
const dir = tempDir();
const trial = writeTrial(dir, {
  name: 'wp',
  experiment: 'weight-prune',
  seeds: SEEDS,
  delta: 0.1,
  params: { d: 2, n: 2, l: 2, out: 1, target: ['random', 'worst', 'sign'], epsilon: 0.4, k: [150, 300, 600] },
});
const out = join(dir, 'run');
const result = lth(['run', trial, '--out', out, '--quiet', '--master-seed', '7']);
const summary = parseCsv(read(join(out, 'wp', 'summary.csv')));
const rows = parseCsv(read(join(out, 'wp', 'trials.csv')));

describe('weight-prune against its closed forms', () => {
  it('runs', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(summary.length).toBe(9);
  });

  it('p_hat agrees with the mean exact probability within 4.5 standard errors', () => {
    let informative = 0;
    for (const cell of summary) {
      const p = Number(cell.mean_p_exact);
      const se = Math.sqrt(Math.max(p * (1 - p), 1 / SEEDS) / SEEDS);
      expect(Math.abs(Number(cell.p_hat) - p), `cell ${cell.cell}`).toBeLessThanOrEqual(4.5 * se);
      if (p > 0.1 && p < 0.9) informative++;
    }
    expect(informative).toBeGreaterThanOrEqual(2);
  });

  it('seed i succeeds at k exactly when its critical width is ≤ k, the same width in every k cell', () => {
    const bySeed = new Map<string, { k: number; success: string; critical: string }[]>();
    for (const row of rows) {
      const key = `${row.param_target}|${row.seed_index}`;
      const list = bySeed.get(key) ?? [];
      list.push({ k: Number(row.k), success: row.success, critical: row.critical_width });
      bySeed.set(key, list);
    }
    expect(bySeed.size).toBe(3 * SEEDS);
    for (const list of bySeed.values()) {
      expect(list.length).toBe(3);
      for (const entry of list) {
        expect(entry.critical).toBe(list[0].critical);
        expect(entry.success).toBe(Number(entry.critical) <= entry.k ? '1' : '0');
      }
    }
  });

  it('reports the theorem\'s widths and marks success columns consistently', () => {
    for (const cell of summary) {
      expect(Number(cell.theory_width)).toBe(constructionTheoryWidths([2, 2, 1], 0.4, 0.1, 'private', false).width);
      expect(Number(cell.theory_middle_width)).toBeGreaterThan(Number(cell.theory_width));
    }
    for (const row of rows) {
      if (row.success === '1') {
        expect(Number(row.certified_error)).toBeLessThanOrEqual(0.4);
        expect(Number(row.sampled_error)).toBeLessThanOrEqual(Number(row.certified_error));
        expect(Number(row.kept_weights)).toBe(4 * (2 * 2 + 2 * 1));
      } else {
        expect(row.certified_error + row.sampled_error).toBe('');
        expect(Number(row.kept_weights)).toBeLessThan(4 * 6);
        expect(Number(row.weights_ok_fraction)).toBeLessThan(1);
      }
    }
  });
});
