/**
 * Issue 15 item 11: the report's "theorem / measured" ratio is theory_width over the measured
 * minimal width (the ⌈(1 − δ)·n⌉-th smallest critical width), in report.md and in
 * `lth report --format json`; both recomputed here from summary.csv and trials.csv.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, expectExit, tempDir, writeTrial, read, parseCsv } from '../helpers/cli.js';

const dir = tempDir();
const trial = writeTrial(dir, {
  name: 'ratio', experiment: 'weight-lemma', seeds: 400, delta: 0.1,
  params: { w: 0.5, epsilon: 0.1, k: [{ log: [10, 1000, 3] }, 'theory'] },
});
const out = join(dir, 'run');
expectExit(lth(['run', trial, '--out', out, '--quiet']), 0);

describe('theorem / measured', () => {
  const summary = parseCsv(read(join(out, 'ratio', 'summary.csv')));
  const theory = Number(summary[0].theory_width);
  const critical = parseCsv(read(join(out, 'ratio', 'trials.csv'))).filter((r) => r.k === summary.at(-1)!.k)
    .map((r) => Number(r.critical_width)).sort((a, b) => a - b);
  const measured = critical[Math.ceil(0.9 * critical.length) - 1];
  const ratio = theory / measured;

  it('is theory_width / measured width (≈ 1 for one weight: its union bound over two sides is nearly tight)', () => {
    expect(critical.length).toBe(400);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.5);
  });

  it('in --format json', () => {
    const json = JSON.parse(expectExit(lth(['report', out, '--format', 'json']), 0).stdout);
    const row = json.trials[0].theory_vs_measurement[0];
    expect(row.theoryWidth).toBe(theory);
    expect(row.quantile.value).toBe(measured);
    expect(row.ratio).toBeCloseTo(ratio, 12);
  });

  it('in report.md', () => {
    expectExit(lth(['report', out]), 0);
    const report = read(join(out, 'report.md'));
    const line = report.split('\n').find((l) => l.includes(`| ${theory} |`) && l.includes(`| ${measured} [`));
    expect(line, 'the theory-vs-measurement row').toBeDefined();
    expect(line!.trimEnd()).toMatch(new RegExp(`\\| ${ratio.toFixed(2).replace('.', '\\.')}× \\|$`));
  });
});
