import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read, parseCsv } from '../helpers/cli.js';
import { lemmaSuccessProbability } from '../../src/pruning/pair-rule-theory.js';
import { hitProbability } from '../../src/pruning/products.js';
import { pairSuccessProbability } from '../../src/pruning/pair-rule.js';

/**
 * weight-lemma end to end through the real CLI and pool, against THEORY.md §4's
 * closed forms, with tolerances of 4.5 binomial standard errors (fixed master seed).
 */
const SEEDS = 10000;
const dir = tempDir();
const trial = writeTrial(dir, {
  name: 'stats',
  experiment: 'weight-lemma',
  seeds: SEEDS,
  delta: 0.1,
  params: {
    // w near ±1, ε crossing the interval's edges (w + ε > 1; w − ε < 0), and "uniform"
    w: [0.97, -0.99, 0.05, 'uniform'],
    epsilon: [0.08, 0.2],
    k: [5, 40, 400],
  },
});
const out = join(dir, 'run');
const result = lth(['run', trial, '--out', out, '--quiet', '--master-seed', '2026']);
const summary = parseCsv(read(join(out, 'stats', 'summary.csv')));
const rows = parseCsv(read(join(out, 'stats', 'trials.csv')));

function se(p: number, n: number): number {
  return Math.sqrt(Math.max(p * (1 - p), 1 / n) / n);
}

describe('weight-lemma against the closed forms', () => {
  it('runs', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(summary.length).toBe(24);
  });

  it('p_hat agrees with the exact pair formula within 4.5 standard errors in every cell', () => {
    let informative = 0;
    for (const cell of summary) {
      const w = cell.w === 'uniform' ? 'uniform' : Number(cell.w);
      const exact = lemmaSuccessProbability(w, Number(cell.epsilon), Number(cell.k));
      expect(Number(cell.p_exact)).toBeCloseTo(exact, 12); // summary carries the closed form
      expect(Number(cell.seeds)).toBe(SEEDS);
      expect(Math.abs(Number(cell.p_hat) - exact)).toBeLessThanOrEqual(4.5 * se(exact, SEEDS));
      if (exact > 0.05 && exact < 0.95) informative++;
    }
    expect(informative).toBeGreaterThanOrEqual(6);
  });

  it('cells differing only in k share draws: success at k exactly when critical_width ≤ k', () => {
    // group rows by (w, epsilon, seed): the critical width must be the same in every k cell
    const bySeed = new Map<string, { k: number; success: number; critical: number }[]>();
    for (const row of rows) {
      const key = `${row.w}|${row.epsilon}|${row.seed_index}`;
      const list = bySeed.get(key) ?? [];
      list.push({ k: Number(row.k), success: Number(row.success), critical: Number(row.critical_width) });
      bySeed.set(key, list);
    }
    expect(bySeed.size).toBe(8 * SEEDS);
    for (const list of bySeed.values()) {
      expect(list.length).toBe(3);
      for (const entry of list) {
        expect(entry.critical).toBe(list[0].critical);
        expect(entry.success).toBe(entry.critical <= entry.k ? 1 : 0);
      }
    }
  });

  it('the empirical CDF of critical widths matches the pair formula', () => {
    for (const [w, eps] of [[0.97, 0.08], [0.05, 0.2], [-0.99, 0.2]] as const) {
      const widths = rows
        .filter((r) => Number(r.w) === w && Number(r.epsilon) === eps && r.k === '5')
        .map((r) => Number(r.critical_width));
      expect(widths.length).toBe(SEEDS);
      const q = hitProbability(w, eps) / 2;
      for (const k of [3, 10, 30, 100, 300, 1000]) {
        const exact = pairSuccessProbability(q, k);
        const empirical = widths.filter((x) => x <= k).length / SEEDS;
        expect(Math.abs(empirical - exact)).toBeLessThanOrEqual(4.5 * se(exact, SEEDS));
      }
    }
  });

  it('successful seeds report an error ≤ ε, failed ones an empty error', () => {
    for (const row of rows) {
      if (row.success === '1') expect(Number(row.error)).toBeLessThanOrEqual(Number(row.epsilon) * (1 + 1e-12));
      else expect(row.error).toBe('');
    }
  });
});
