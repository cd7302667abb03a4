/**
 * Issue 16: the atlas. Its numbers are the report's (theory vs measurement per group) read
 * at several δ from the same draws, plus scaling-law fits with bootstrap intervals; its
 * files must be the same bytes whenever they are regenerated, and carry nothing that
 * depends on the machine, the clock or the thread count.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, cpSync, statSync, rmSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { spawnSync } from 'node:child_process';
import { lth, expectExit, tempDir, writeTrial, ROOT } from '../helpers/cli.js';
import { loadRun } from '../../src/report/load-run.js';
import { buildAtlas, ATLAS_FILES } from '../../src/atlas/build.js';
import { atlasTrial, quantileReplicate } from '../../src/atlas/groups.js';
import { fit, leastSquares } from '../../src/atlas/fit.js';
import { logBins } from '../../src/atlas/bins.js';
import { compareAtlas, codeCommit, atlasPaths } from '../../src/atlas/main.js';
import { Histogram } from '../../src/stats/histogram.js';
import { binomialCdf } from '../../src/stats/binomial.js';
import { Rng } from '../../src/rng/rng.js';

const dir = tempDir();
// a weight-prune trial at one δ (read at 0.1 and 0.01 by the atlas), and the single-weight lemma
// at δ = 0.01 beside the same cell run at δ = 0.1 directly: same structural key, same draws
const prune = writeTrial(dir, {
  name: 'prune-pair', experiment: 'weight-prune', seeds: 200, delta: 0.01,
  params: { d: [2, 4], n: 2, l: 2, epsilon: [0.2, 0.1], criterion: 'global', k: 'theory' },
});
const lemma = writeTrial(dir, { name: 'lemma-pair', experiment: 'weight-lemma', seeds: 2000, delta: 0.01, params: { w: 'uniform', epsilon: 0.1, k: 'theory' } }, 'lemma.json');
const lemmaAt01 = writeTrial(dir, { name: 'lemma-direct', experiment: 'weight-lemma', seeds: 2000, delta: 0.1, params: { w: 'uniform', epsilon: 0.1, k: 'theory' } }, 'lemma01.json');
const out = join(dir, 'run');
const run = lth(['run', prune, lemma, lemmaAt01, '--out', out, '--quiet', '--rows', 'none']);
const parseCsv = (text: string) => parse(text, { columns: true }) as Record<string, string>[];
const meta = { command: 'npm run atlas -- --quick', commit: 'c0ffee', quick: true, descriptions: { 'prune-pair': 'a test trial' } };

function tree(root: string): string[] {
  const outFiles: string[] = [];
  const walk = (sub: string) => {
    for (const name of readdirSync(join(root, sub)).sort()) {
      const path = join(sub, name);
      if (statSync(join(root, path)).isDirectory()) walk(path); else outFiles.push(path);
    }
  };
  walk('');
  return outFiles;
}

describe('atlas: reading one run at several δ', () => {
  it('a cell read at δ = 0.1 gives what the same cell run at δ = 0.1 gives: theorem and exact width, target, critical-width quantile', () => {
    expectExit(run, 0);
    const loaded = loadRun(out);
    const read = atlasTrial(loaded.trials.find((t) => t.config.name === 'lemma-pair')!);
    const direct = atlasTrial(loaded.trials.find((t) => t.config.name === 'lemma-direct')!);
    expect(read.groups.map((g) => g.row.delta)).toEqual([0.1, 0.01]); // 2000 seeds: 10⁻⁴ is not readable
    expect(direct.groups.map((g) => g.row.delta)).toEqual([0.1, 0.01]);
    const a = read.groups[0].row, b = direct.groups[0].row;
    expect(a.theoryWidth).toBe(b.theoryWidth);
    expect(a.exactWidth).toBe(b.exactWidth);
    expect(a.quantile).toEqual(b.quantile);
    expect(read.trial.summary[0].target).toBe(direct.trial.summary[0].target);
    // and δ = 0.01 really is another reading: a larger theorem width and a higher quantile
    expect(read.groups[1].row.theoryWidth!).toBeGreaterThan(a.theoryWidth!);
    expect(read.groups[1].row.quantile!.value).toBeGreaterThanOrEqual(a.quantile!.value);
  });
});

describe('atlas: files', () => {
  const first = join(dir, 'atlas-a'), second = join(dir, 'atlas-b');

  it('writes report, widths, fits, summaries, histograms, plots and command; twice the same bytes', async () => {
    expectExit(run, 0);
    mkdirSync(first, { recursive: true });
    mkdirSync(join(first, 'quick'), { recursive: true });
    writeFileSync(join(first, 'quick', 'keep.txt'), 'the quick atlas lives here');
    await buildAtlas(loadRun(out), first, meta);
    await buildAtlas(loadRun(out), second, meta);
    for (const name of ATLAS_FILES) expect(readdirSync(first)).toContain(name);
    expect(readFileSync(join(first, 'quick', 'keep.txt'), 'utf8')).toBe('the quick atlas lives here'); // never touched
    expect(compareAtlas(first, second)).toEqual([]);
    expect(tree(first).filter((f) => f.startsWith('plots/')).some((f) => f.endsWith('.png'))).toBe(true);
  });

  it('nothing machine- or clock-dependent: no absolute paths, dates, thread counts or timings', () => {
    for (const file of tree(first).filter((f) => /\.(md|csv|txt)$/.test(f) && !f.startsWith('quick'))) {
      const text = readFileSync(join(first, file), 'utf8');
      expect(text, file).not.toContain(dir);
      expect(text, file).not.toMatch(/20\d\d-\d\d-\d\dT/);
      expect(text, file).not.toMatch(/thread|elapsed|seeds\/s/);
    }
    const command = readFileSync(join(first, 'command.txt'), 'utf8');
    expect(command).toContain('command: npm run atlas -- --quick');
    expect(command).toContain('code and trials: c0ffee');
  });

  it('widths.csv: every group at every δ read, ratios = theorem width / measured width', () => {
    const rows = parseCsv(readFileSync(join(first, 'widths.csv'), 'utf8'));
    const prunes = rows.filter((r) => r.trial === 'prune-pair');
    expect(prunes.length).toBe(8); // 4 cells × δ ∈ {0.1, 0.01}
    for (const r of prunes) {
      expect(Number(r.theorem_over_per_weight)).toBeCloseTo(Number(r.theorem_width) / Number(r.per_weight_width), 10);
      expect(Number(r.theorem_over_global)).toBeCloseTo(Number(r.theorem_width) / Number(r.global_width), 10);
      expect(Number(r.global_width)).toBeLessThanOrEqual(Number(r.per_weight_width)); // dominance (THEORY.md §5b), same draws
    }
  });

  it('fits.csv: the weight-pruning law over the varied regressors only, measured with bootstrap intervals, the theorem without', () => {
    const rows = parseCsv(readFileSync(join(first, 'fits.csv'), 'utf8')).filter((r) => r.fit.startsWith('weight pruning'));
    expect(new Set(rows.map((r) => r.regressor))).toEqual(new Set(['log d', 'log(1/ε)', 'log log(1/δ)']));
    for (const r of rows.filter((x) => x.response !== 'theorem')) {
      expect(Number(r.low)).toBeLessThanOrEqual(Number(r.coefficient) + 1e-12);
      expect(Number(r.high)).toBeGreaterThanOrEqual(Number(r.coefficient) - 1e-12);
      expect(Number(r.replicates)).toBe(200);
    }
    for (const r of rows.filter((x) => x.response === 'theorem')) expect(r.low).toBe('');
    // the theorem's exponent in 1/ε is ≈ 1 (k ∝ 1/q*, q* ∝ τ ∝ ε up to the log factor): a wrong regressor would not give it
    const eps = rows.find((r) => r.response === 'theorem' && r.regressor === 'log(1/ε)')!;
    expect(Number(eps.coefficient)).toBeGreaterThan(0.8);
    expect(Number(eps.coefficient)).toBeLessThan(1.3);
  });

  it('compareAtlas names a changed, a missing and an extra file, and ignores what is not the atlas\'s', () => {
    const copy = join(dir, 'atlas-c');
    cpSync(first, copy, { recursive: true });
    writeFileSync(join(copy, 'quick', 'other.txt'), 'not compared');
    expect(compareAtlas(first, copy)).toEqual([]);
    const report = readFileSync(join(copy, 'report.md'));
    report[10] ^= 1;
    writeFileSync(join(copy, 'report.md'), report);
    writeFileSync(join(copy, 'summary', 'extra.csv'), 'x\n');
    const histogram = tree(copy).find((f) => f.startsWith('histograms/'))!;
    writeFileSync(join(copy, histogram), '');
    rmSync(join(copy, 'fits.csv'));
    expect(compareAtlas(first, copy)).toEqual(['fits.csv: committed but not regenerated', `${histogram}: differs`, 'report.md: differs', 'summary/extra.csv: not committed'].sort());
  });
});

describe('atlas: statistics', () => {
  it('least squares recovers exact coefficients; a regressor without variation is left out', () => {
    const x = [[1, 2, 5], [2, 1, 5], [3, 5, 5], [4, 3, 5], [5, 8, 5]];
    const y = x.map(([a, b]) => 1 + 2 * a - 0.5 * b);
    const beta = leastSquares(x.map(([a, b]) => [a, b]), y);
    expect(beta[0]).toBeCloseTo(1, 9);
    expect(beta[1]).toBeCloseTo(2, 9);
    expect(beta[2]).toBeCloseTo(-0.5, 9);
    const result = fit(['a', 'b', 'c'], x.map((row, i) => ({ label: String(i), x: row, y: y[i], replicate: () => y[i] })))!;
    expect(result.names).toEqual(['a', 'b']);
    expect(result.fixed).toEqual(['c']);
    expect(result.r2).toBeCloseTo(1, 12);
    expect(result.low[0]).toBeCloseTo(2, 9); // noiseless replicates: a degenerate interval at the truth
    expect(result.high[1]).toBeCloseTo(-0.5, 9);
  });

  it('bootstrap intervals are deterministic and cover the slope of noisy data', () => {
    const points = Array.from({ length: 30 }, (_, i) => {
      const x = i / 3;
      const noise = new Rng(7, i);
      return { label: String(i), x: [x], y: 3 * x + (noise.next() - 0.5), replicate: (rng: Rng) => 3 * x + (rng.next() - 0.5) };
    });
    const a = fit(['x'], points)!, b = fit(['x'], points)!;
    expect(a).toEqual(b);
    expect(a.low[0]).toBeLessThan(3);
    expect(a.high[0]).toBeGreaterThan(3);
    expect(a.high[0] - a.low[0]).toBeLessThan(0.2);
  });

  it('quantileReplicate draws the bootstrap order statistic exactly: P(X*_(r) ≤ v) = P(Bin(n, F̂(v)) ≥ r)', () => {
    const h = new Histogram();
    for (let v = 1; v <= 50; v++) h.add(v);
    const n = 50, level = 0.9, r = Math.ceil(n * level);
    const draw = quantileReplicate(h, level);
    const rng = new Rng(16, 1);
    const draws = 20000;
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) { const x = draw(rng)!; counts.set(x, (counts.get(x) ?? 0) + 1); }
    for (const v of [40, 43, 45, 47, 49]) {
      const expected = 1 - binomialCdf(r - 1, n, v / n);
      let seen = 0;
      for (const [x, c] of counts) if (x <= v) seen += c;
      const se = Math.sqrt(expected * (1 - expected) / draws);
      expect(Math.abs(seen / draws - expected), `v = ${v}`).toBeLessThan(5 * se + 1e-9);
    }
  });

  it('logBins keeps every count, values ≤ 20 exact, 20 bins a decade above, "not reached" apart', () => {
    const entries: [number, number][] = [[0, 2], [3, 1], [20, 4], [21, 1], [22, 2], [1000, 1], [1100, 3], [Infinity, 5]];
    const bins = logBins(entries);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(19);
    expect(bins.find((b) => b.from === 3)).toEqual({ from: 3, to: 3, count: 1 });
    expect(bins.find((b) => b.from === 21)).toEqual({ from: 21, to: 22, count: 3 }); // log10 21, 22 ∈ [1.30, 1.35)
    expect(bins.find((b) => b.from === 1000)).toEqual({ from: 1000, to: 1100, count: 4 });
    expect(bins[bins.length - 1]).toEqual({ from: Infinity, to: Infinity, count: 5 });
  });
});

describe('atlas: the repository', () => {
  it('the quick and the full atlas run their own trial files into their own directories', () => {
    const quick = atlasPaths(true), full = atlasPaths(false);
    expect(quick.trials.length).toBeGreaterThan(0);
    expect(quick.trials.every((f) => f.startsWith('trials/atlas/quick/'))).toBe(true);
    expect(full.trials.every((f) => /^trials\/atlas\/[^/]+\.json$/.test(f))).toBe(true);
    expect([quick.out, quick.atlas, full.out, full.atlas]).toEqual(['output/atlas-quick', 'atlas/quick', 'output/atlas', 'atlas']);
  });

  it('the quick atlas uses no data set a fresh machine lacks (no Debian package)', () => {
    for (const file of atlasPaths(true).trials) expect(readFileSync(file, 'utf8'), file).not.toContain('"fashion-mnist"');
  });

  it('a bad flag is one line naming it and what is allowed, exit 2', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'atlas', 'main.js'), '--quik'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['atlas: Unknown argument: quik (allowed: --quick, --check, --dry-run, --fresh, --threads N)']);
  });

  it('codeCommit names a commit (or null outside git)', () => {
    const commit = codeCommit();
    if (commit !== null) expect(commit).toMatch(/^[0-9a-f]{40}$/);
  });
});
