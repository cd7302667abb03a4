import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read, parseCsv } from '../helpers/cli.js';

/**
 * weight-lemma with method = pair | subset-sum on identical scanned draws (THEORY.md §7),
 * and the pair rule's two samplers, through the CLI.
 */
const SEEDS = 4000;
const dir = tempDir();
const trial = writeTrial(dir, {
  name: 'ss', experiment: 'weight-lemma', seeds: SEEDS, delta: 0.1,
  params: { w: [0.5, 'uniform'], epsilon: 0.01, k: [12, 28], sampler: ['scan', 'skip'], method: ['pair', 'subset-sum'] },
});
const out = join(dir, 'run');
const result = lth(['run', trial, '--out', out, '--quiet']);
const rows = parseCsv(read(join(out, 'ss', 'trials.csv')));
const summary = parseCsv(read(join(out, 'ss', 'summary.csv')));

describe('subset sums vs the pair rule', () => {
  it('runs', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('on identical scanned draws, subset-sum succeeds on every seed where the pair rule does, with a critical width no larger', () => {
    const pair = new Map<string, Record<string, string>>();
    for (const r of rows) if (r.method === 'pair' && r.sampler === 'scan') pair.set(`${r.w}|${r.k}|${r.seed_index}`, r);
    let compared = 0, gained = 0;
    for (const r of rows) {
      if (r.method !== 'subset-sum' || r.sampler !== 'scan') continue;
      const p = pair.get(`${r.w}|${r.k}|${r.seed_index}`)!;
      expect(r.w_value).toBe(p.w_value); // the same target weight
      if (p.success === '1') {
        expect(r.success).toBe('1');
        expect(Number(r.critical_width)).toBeLessThanOrEqual(Number(p.critical_width));
      } else if (r.success === '1') gained++;
      compared++;
    }
    expect(compared).toBe(2 * 2 * SEEDS);
    expect(gained).toBeGreaterThan(1000);
  });

  it('reproduces THEORY.md §7: w = 0.5, τ = 0.01, 28 units: pair ≈ 0.008, subset sums ≈ 0.89', () => {
    const cell = (method: string) => summary.find((c) => c.w === '0.5' && c.k === '28' && c.sampler === 'scan' && c.method === method)!;
    const se = (p: number) => Math.sqrt(p * (1 - p) / SEEDS);
    expect(Math.abs(Number(cell('pair').p_hat) - 0.008)).toBeLessThanOrEqual(4.5 * se(0.008));
    expect(Math.abs(Number(cell('subset-sum').p_hat) - 0.89)).toBeLessThanOrEqual(0.01 + 4.5 * se(0.89));
  });

  it('the pair rule gives the same success rate with scan and skip within sampling error', () => {
    for (const w of ['0.5', 'uniform']) {
      for (const k of ['12', '28']) {
        const get = (sampler: string) => Number(summary.find((c) => c.w === w && c.k === k && c.method === 'pair' && c.sampler === sampler)!.p_hat);
        const a = get('scan'), b = get('skip');
        const pooled = (a + b) / 2;
        expect(Math.abs(a - b)).toBeLessThanOrEqual(4.5 * Math.sqrt(Math.max(2 * pooled * (1 - pooled), 1 / SEEDS) / SEEDS));
      }
    }
  });

  it('subset-sum ignores the sampler (blocks are always scanned): identical rows for scan and skip', () => {
    const strip = (r: Record<string, string>) => [r.seed_index, r.success, r.error, r.critical_width, r.kept_units].join(',');
    const scan = rows.filter((r) => r.method === 'subset-sum' && r.sampler === 'scan').map(strip);
    const skip = rows.filter((r) => r.method === 'subset-sum' && r.sampler === 'skip').map(strip);
    expect(skip).toEqual(scan);
  });

  it('refuses blocks beyond the exact-search guard, naming the limit', () => {
    const big = writeTrial(dir, { name: 'big', experiment: 'weight-lemma', seeds: 10, delta: 0.1, params: { k: 60, method: 'subset-sum' } }, 'big.json');
    const refused = lth(['run', big, '--out', join(dir, 'big'), '--quiet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^lth: .*big\.json: cell 0 .*method "subset-sum" needs k ≤ 48 units per block .*\(got k = 60\)$/);
    expect(lth(['list']).stdout).toMatch(/subset-sum.*k ≤ 48/);
  });
});
