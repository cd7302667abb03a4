import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync, readdirSync, existsSync, writeFileSync, cpSync } from 'node:fs';
import { lth, tempDir, writeTrial, read, parseCsv, ROOT } from '../helpers/cli.js';

/**
 * `lth report`: report.md and plots/ from run.json and the CSVs alone; plots are valid
 * SVG/PNG whose marks match the data, and byte-identical for the same run (golden files).
 */
const dir = tempDir();
const trial = writeTrial(dir, {
  name: 'tiny',
  experiment: 'weight-lemma',
  seeds: 400,
  delta: 0.1,
  params: { w: [0.5, 'uniform'], epsilon: 0.2, k: [5, 50, 'theory'] },
});
const out = join(dir, 'run');
const run = lth(['run', trial, '--out', out, '--quiet', '--master-seed', '42']);
const GOLDEN = join(ROOT, 'test', 'report', 'golden');

/** Counts the marks of each kind in a vega SVG: `mark-<type> role-mark` groups and their paths. */
function markCounts(svg: string): Record<string, number[]> {
  const counts: Record<string, number[]> = {};
  for (const m of svg.matchAll(/<g class="mark-(\w+) role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)) {
    (counts[m[1]] ??= []).push((m[2].match(/<(path|line)\b/g) ?? []).length);
  }
  return counts;
}

function pngSize(file: string): [number, number] {
  const png = readFileSync(file);
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('lth report', () => {
  it('is written at the end of lth run, with every cell and the theory table', () => {
    expect(run.code).toBe(0);
    const md = read(join(out, 'report.md'));
    const summary = parseCsv(read(join(out, 'tiny', 'summary.csv')));
    expect(summary).toHaveLength(6);
    for (const cell of summary) expect(md).toMatch(new RegExp(`\\| ${cell.cell} \\| ${cell.w} \\| ${cell.k} \\| 400 \\|`));
    expect(md).toContain('master seed | 42');
    expect(md).toContain('### Theory vs measurement');
    expect(md).toMatch(/test of the theorem/);
    expect(md).toMatch(/below the theorem's width/);
    expect((md.match(/!\[.*\]\(plots\/.*\.png\)/g) ?? []).length).toBe(3);
  });

  it('plots are valid SVG and PNG, and their marks match the data', () => {
    const files = readdirSync(join(out, 'plots')).sort();
    expect(files).toEqual([
      'tiny-critical-width-ecdf.png', 'tiny-critical-width-ecdf.svg', 'tiny-measured-vs-exact.png', 'tiny-measured-vs-exact.svg',
      'tiny-success-vs-width.png', 'tiny-success-vs-width.svg',
    ]);
    const success = read(join(out, 'plots', 'tiny-success-vs-width.svg'));
    expect(success.startsWith('<svg')).toBe(true);
    const marks = markCounts(success);
    expect(marks.line).toHaveLength(2); // one series per group (w = 0.5, w = uniform)
    expect(marks.area).toHaveLength(2); // one CI band per group
    expect(marks.symbol).toEqual([6]); // one point per cell
    expect(marks.rule).toEqual([1, 2]); // the 1 − δ line, one theorem width per group
    expect(success).toContain('width (k, units per block)');
    const exact = markCounts(read(join(out, 'plots', 'tiny-measured-vs-exact.svg')));
    expect(exact.symbol).toEqual([6]);
    const ecdf = markCounts(read(join(out, 'plots', 'tiny-critical-width-ecdf.svg')));
    expect(ecdf.line).toHaveLength(4); // measured and exact per group
    for (const file of files.filter((f) => f.endsWith('.png'))) {
      const [w, h] = pngSize(join(out, 'plots', file));
      expect(w).toBeGreaterThan(400);
      expect(h).toBeGreaterThan(300);
    }
  });

  it('the same run gives byte-identical plots, equal to the golden files', () => {
    const copy = join(dir, 'copy');
    cpSync(out, copy, { recursive: true });
    expect(lth(['report', copy]).code).toBe(0);
    for (const file of readdirSync(join(out, 'plots'))) {
      expect(readFileSync(join(copy, 'plots', file)).equals(readFileSync(join(out, 'plots', file))), file).toBe(true);
      const golden = join(GOLDEN, file);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, readFileSync(join(out, 'plots', file)));
      expect(existsSync(golden), `${golden} missing (UPDATE_GOLDEN=1 to write it)`).toBe(true);
      expect(readFileSync(join(out, 'plots', file)).equals(readFileSync(golden)), `${file} differs from test/report/golden (UPDATE_GOLDEN=1 to accept)`).toBe(true);
    }
  });

  it('--format json prints the same numbers', () => {
    const json = JSON.parse(lth(['report', out, '--format', 'json']).stdout);
    const summary = parseCsv(read(join(out, 'tiny', 'summary.csv')));
    expect(json.trials[0].cells.map((c: Record<string, string>) => c.p_hat)).toEqual(summary.map((c) => c.p_hat));
    const theory = json.trials[0].theory_vs_measurement;
    expect(theory).toHaveLength(2);
    for (const row of theory) {
      expect(row.theoryWidth).toBeGreaterThan(0);
      expect(row.quantile.low).toBeLessThanOrEqual(row.quantile.value);
      expect(row.quantile.value).toBeLessThanOrEqual(row.quantile.high);
    }
  });

  it('a directory that is not a run directory is one line, exit 2', () => {
    const bad = lth(['report', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/not a run directory \(no run\.json\)$/);
  });
});
