import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read } from '../helpers/cli.js';

/**
 * The report for a trial sweeping `criterion` (THEORY.md §5b): the theory table gains the
 * global criterion's certified minimal width and sampled-error width (with their ratios to
 * the theorem's width) beside the per-weight one, and the success-vs-width plot draws the
 * global criterion's certified and sampled series separately.
 */
const dir = tempDir();
const trial = writeTrial(dir, {
  name: 'crit',
  experiment: 'weight-prune',
  seeds: 120,
  delta: 0.1,
  params: { d: 2, n: 2, l: 2, out: 1, epsilon: 0.2, k: [50, 200, 800], criterion: ['per-weight', 'global'] },
});
const out = join(dir, 'run');
const run = lth(['run', trial, '--out', out, '--quiet', '--master-seed', '3']);

describe('lth report, global criterion', () => {
  it('the theory table shows the global certified and sampled widths in the global row, "–" in the per-weight row', () => {
    expect(run.code).toBe(0);
    const md = read(join(out, 'report.md'));
    expect(md).toContain('global criterion: certified minimal width (quantile, CI)');
    expect(md).toContain('global criterion: sampled-error width [CI bracket]');
    expect(md).toContain('P(certified ≤ ε) ≤ P(sup error ≤ ε) ≤ P(sampled ≤ ε)');
    const perWeight = md.split('\n').find((line) => /^\| 0\.1 \| per-weight \| \d/.test(line))!;
    const global = md.split('\n').find((line) => /^\| 0\.1 \| global \| \d/.test(line))!;
    expect(perWeight.split('|').slice(-5, -1).map((s) => s.trim())).toEqual(['–', '–', '–', '–']);
    expect(global.split('|').slice(-5, -1).every((s) => /\d/.test(s))).toBe(true);
  });

  it('--format json carries the global quantile, below the per-weight one, and the ratio theorem / global', () => {
    const json = JSON.parse(lth(['report', out, '--format', 'json']).stdout);
    const rows = json.trials[0].theory_vs_measurement as { group: Record<string, string>; theoryWidth: number; quantile: { value: number }; globalQuantile: { value: number } | null; globalRatio: number | null }[];
    const global = rows.find((r) => r.group.criterion === 'global')!;
    expect(global.globalQuantile).not.toBeNull();
    expect(global.globalQuantile!.value).toBeLessThanOrEqual(global.quantile.value);
    expect(global.globalRatio).toBeCloseTo(global.theoryWidth / global.globalQuantile!.value, 12);
    expect(rows.find((r) => r.group.criterion === 'per-weight')!.globalQuantile).toBeNull();
  });

  it('the success-vs-width plot has separate certified and sampled series for the global criterion', () => {
    const svg = read(join(out, 'plots', 'crit-success-vs-width.svg'));
    expect(svg).toContain('criterion=global · certified ≤ ε');
    expect(svg).toContain('criterion=global · sampled error ≤ ε');
    expect(svg).toContain('criterion=per-weight');
  });
});
