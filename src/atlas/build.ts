import { mkdirSync, rmSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { TopLevelSpec } from 'vega-lite';
import type { LoadedRun } from '../report/load-run.js';
import { num } from '../report/load-run.js';
import { cellTable, theoryTable, table, fmtWidth, fmtP, quantileText } from '../report/markdown.js';
import { writePlots, renderSvg, svgToPng } from '../report/plots.js';
import { experiments } from '../experiments/index.js';
import type { TheoryRow } from '../report/theory-vs-measurement.js';
import { atlasTrial, widthOf, type AtlasGroup, type AtlasTrial, type WidthKind } from './groups.js';
import { fitLaws, RESPONSE_TEXT, type LawResult } from './laws.js';
import { logBins } from './bins.js';

/** What the atlas records about how it was made: nothing that depends on the clock, the machine or the thread count. */
export interface AtlasMeta {
  /** The command that regenerates these files, as a user types it. */
  command: string;
  /** The last commit that changed code or trials (`git log -1 --format=%H -- src trials package-lock.json`). */
  commit: string | null;
  quick: boolean;
  /** Each trial file's "description", by trial name. */
  descriptions: Record<string, string>;
}

/** The files and directories the atlas owns inside its directory (atlas/quick/ is never among the full atlas's). */
export const ATLAS_FILES = ['report.md', 'command.txt', 'widths.csv', 'fits.csv', 'summary', 'histograms', 'plots'];

/**
 * Writes the atlas (issue 16) from a finished run directory: report.md, the per-group
 * widths and the scaling-law fits as CSV, the per-cell summaries read at each δ, the
 * cells' critical-width histograms in logarithmic bins (no per-seed rows), plots, and
 * command.txt. Every byte is a function of the run's aggregates and `meta`, so a rerun
 * (or a resumed run, or any thread count) regenerates the same files.
 */
export async function buildAtlas(loaded: LoadedRun, dir: string, meta: AtlasMeta): Promise<void> {
  for (const name of ATLAS_FILES) rmSync(join(dir, name), { recursive: true, force: true });
  mkdirSync(join(dir, 'summary'), { recursive: true });
  mkdirSync(join(dir, 'histograms'), { recursive: true });
  mkdirSync(join(dir, 'plots'), { recursive: true });
  const summarized = loaded.trials.filter((t) => t.summary.length > 0);
  const trials = summarized.map(atlasTrial);
  const groups = trials.flatMap((t) => t.groups);
  const laws = fitLaws(groups);

  for (const t of trials) {
    writeFileSync(join(dir, 'summary', `${t.trial.config.name}.csv`), csv(t.trial.summary));
    const histogram = histogramRows(t);
    if (histogram.length) writeFileSync(join(dir, 'histograms', `${t.trial.config.name}.csv`), csv(histogram));
  }
  writeFileSync(join(dir, 'widths.csv'), csv(groups.map(widthRow)));
  writeFileSync(join(dir, 'fits.csv'), csv(laws.flatMap(fitRows)));
  const plots = await writePlots({ ...loaded, trials: summarized }, join(dir, 'plots'));
  const lawPlots: string[] = [];
  for (const [j, spec] of lawPlotSpecs(laws).entries()) {
    const name = `law-${j + 1}`;
    writeFileSync(join(dir, 'plots', `${name}.png`), svgToPng(await renderSvg(spec)));
    lawPlots.push(name);
  }
  for (const file of readdirSync(join(dir, 'plots'))) if (file.endsWith('.svg')) unlinkSync(join(dir, 'plots', file));
  writeFileSync(join(dir, 'command.txt'), commandText(loaded, meta));
  writeFileSync(join(dir, 'report.md'), renderAtlas(loaded, trials, laws, plots, lawPlots, meta));
}

function csv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  return stringify(rows, { header: true, columns: Object.keys(rows[0]), cast: { number: (x) => String(x) } });
}

const show = (x: number | null | undefined) => (x === null || x === undefined ? '' : Number.isFinite(x) ? String(x) : x > 0 ? 'inf' : '');
const groupText = (g: AtlasGroup) => Object.entries(g.row.group).map(([k, v]) => `${k}=${v}`).join(' ');

function widthRow(g: AtlasGroup): Record<string, unknown> {
  const r = g.row;
  return {
    trial: g.trial,
    experiment: g.experiment,
    group: groupText(g),
    delta: r.delta,
    seeds: r.seeds,
    quantile_cell: g.quantileCell,
    tested_widths: r.testedWidths.join(' '),
    theorem_width: show(r.theoryWidth),
    exact_width: show(r.exactWidth),
    smallest_tested_width_ci_above: show(r.smallestAbove),
    per_weight_width: show(r.quantile?.value),
    per_weight_low: show(r.quantile?.low),
    per_weight_high: show(r.quantile?.high),
    theorem_over_per_weight: show(r.ratio),
    global_width: show(r.globalQuantile?.value),
    global_low: show(r.globalQuantile?.low),
    global_high: show(r.globalQuantile?.high),
    theorem_over_global: show(r.globalRatio),
    sampled_width: show(r.sampledWidth?.value),
    sampled_low: show(r.sampledWidth?.low),
    sampled_high: show(r.sampledWidth?.high),
    theorem_over_sampled: show(r.sampledRatio),
  };
}

function fitRows(law: LawResult): Record<string, unknown>[] {
  return law.result.names.map((name, j) => ({
    fit: law.spec.name,
    response: law.response,
    form: law.spec.linear ? 'width = a + b·x' : 'log width = a + b·x',
    regressor: name,
    coefficient: law.result.coef[j],
    low: show(law.result.low[j]),
    high: show(law.result.high[j]),
    r2: law.result.r2,
    points: law.result.points,
    replicates: law.result.replicates,
  }));
}

/** Per cell and histogrammed column, the counts in logarithmic bins [from, to] (exact integers; 20 bins a decade, every integer below 20). */
function histogramRows(t: AtlasTrial): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const experiment = experiments[t.trial.config.experiment];
  const columns = experiment.columns.filter((c) => c.histogram).map((c) => c.name);
  t.trial.stats.forEach((stats, cell) => {
    for (const column of columns) {
      for (const bin of logBins(stats.histogram(column, 'infinity').entries())) rows.push({ cell, column, from: show(bin.from), to: show(bin.to), count: bin.count });
    }
  });
  return rows;
}

// ---------------------------------------------------------------- report.md

interface HeadlineFamily {
  title: string;
  trials: RegExp;
  where?: (g: AtlasGroup) => boolean;
  measure: Extract<WidthKind, 'per-weight' | 'global' | 'sampled' | 'smallest-above'>;
  what: string;
}

const HEADLINE: HeadlineFamily[] = [
  { title: 'one weight, pair rule (§4)', trials: /^lemma-pair$/, measure: 'per-weight', what: 'critical-width quantile; the exact width is the ideal' },
  { title: 'weight pruning, per-weight rule (§5)', trials: /^prune-(l1|l2|l2-worst|l3|pair)$/, measure: 'per-weight', what: "every weight within its own τ_i: the union bound's event" },
  { title: 'weight pruning, global criterion, certified (§5b)', trials: /^prune-(l1|l2|l2-worst|l3|pair)$/, measure: 'global', what: "Π(1 + ‖E_i‖_F) − 1 ≤ ε: implies the theorem's event" },
  { title: 'weight pruning, global criterion, sampled error (§5b)', trials: /^prune-bracket$/, measure: 'sampled', what: 'sampled error ≤ ε: a lower bound on this construction\'s width' },
  { title: 'weight pruning, shared blocks, per-weight rule', trials: /^prune-shared$/, where: (g) => g.row.group.layout === 'shared', measure: 'per-weight', what: 'k units per input coordinate (Pensia)' },
  { title: 'MNIST shapes, per-weight rule', trials: /^prune-mnist/, measure: 'per-weight', what: '784-500-10 and 784-500-500-10, tens of seeds (MNIST table below)' },
  { title: 'MNIST shapes, global criterion, certified', trials: /^prune-mnist/, measure: 'global', what: '784-500-10 and 784-500-500-10, tens of seeds (MNIST table below)' },
  { title: 'neuron pruning ≈ random features (§8)', trials: /^neuron-rf/, measure: 'smallest-above', what: 'smallest tested T whose CI reaches 1 − δ (tested T double: the ratio is exact to a factor 2)' },
  { title: 'memorization (§9)', trials: /^memorize$/, measure: 'smallest-above', what: 'smallest tested k whose CI reaches 1 − δ (tested k triple)' },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const ratioText = (x: number) => `${x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(0) : x.toExponential(1)}×`;

function headline(groups: AtlasGroup[]): string {
  const rows: string[][] = [];
  for (const family of HEADLINE) {
    const chosen = groups.filter((g) => family.trials.test(g.trial) && (family.where?.(g) ?? true) && g.row.theoryWidth !== null);
    const deltas = [...new Set(chosen.map((g) => g.row.delta))].sort((a, b) => b - a);
    for (const delta of deltas) {
      const at = chosen.filter((g) => g.row.delta === delta);
      const ratios = at.map((g) => { const m = widthOf(g.row, family.measure); return m ? g.row.theoryWidth! / m : null; }).filter((x): x is number => x !== null);
      const missing = at.length - ratios.length;
      // a sampled-error width reached already at the smallest tested width bounds the width from above only: its ratio is a lower bound
      const floor = family.measure === 'sampled' ? at.filter((g) => g.row.sampledWidth?.value === Math.min(...g.row.testedWidths)).length : 0;
      const trialsUsed = [...new Set(at.map((g) => g.trial))].join(', ');
      rows.push([
        family.title, String(delta), String(at.length),
        ratios.length ? ratioText(median(ratios)) : '–',
        ratios.length ? `${ratioText(Math.min(...ratios))} – ${ratioText(Math.max(...ratios))}` : '–',
        [missing ? `${missing} not reached or undefined` : '', floor ? `${floor} reached at the smallest tested width (ratio ≥)` : ''].filter(Boolean).join('; '),
        family.what, trialsUsed,
      ]);
    }
  }
  const violations = groups.filter((g) => g.row.theoryWidth !== null && g.row.quantile && g.row.quantile.low > g.row.theoryWidth);
  const tight = groups.filter((g) => g.row.theoryWidth !== null && g.row.quantile && g.row.quantile.low <= g.row.theoryWidth && g.row.quantile.high >= g.row.theoryWidth && Number.isFinite(g.row.quantile.high));
  const check = `\n\nA check of the theorems themselves: in ${violations.length} of ${groups.filter((g) => g.row.theoryWidth !== null && g.row.quantile).length} groups ` +
    "with a critical-width quantile does the measured width's 95% interval lie entirely above the theorem's width (a group there would contradict the stated width)" +
    (violations.length ? `: ${violations.map((g) => `${g.trial} ${groupText(g)}`).join('; ')}` : '') +
    `. In ${tight.length} groups a bounded interval contains the theorem's width${tight.length ? ` (${[...new Set(tight.map((g) => g.trial))].join(', ')}): there the stated width is tight for this construction` : ''}.`;
  return table(['family (THEORY.md)', 'δ', 'groups', "theorem's width / measured width: median", 'range over groups', 'groups without a ratio (or with a bound)', 'measured as', 'trials (widths.csv)'], rows) + check;
}

function lawsTable(laws: LawResult[]): string {
  const out: string[] = [];
  const specs = [...new Set(laws.map((l) => l.spec))];
  for (const spec of specs) {
    const these = laws.filter((l) => l.spec === spec);
    const names = spec.regressors;
    out.push(`**${spec.name}** (${spec.linear ? 'width = a + Σ b·x' : 'log width = a + Σ b·log x'}; ${these[0].result.points} groups). Theory: ${spec.expected}.`);
    out.push('');
    const rows = these.map((l) => [
      RESPONSE_TEXT[l.response],
      ...names.map((name) => {
        const j = l.result.names.indexOf(name);
        if (j < 0) return 'not varied';
        const ci = Number.isFinite(l.result.low[j]) ? ` [${l.result.low[j].toFixed(2)}, ${l.result.high[j].toFixed(2)}]` : '';
        return `${l.result.coef[j].toFixed(2)}${ci}`;
      }),
      l.result.r2.toFixed(3),
      String(l.result.points),
    ]);
    out.push(table(['response', ...names.map((n) => `coefficient of ${n}`), 'R²', 'groups'], rows));
    out.push('');
  }
  out.push(`Intervals: 95% bootstrap percentile intervals over ${laws.find((l) => l.result.replicates > 0)?.result.replicates ?? 0} replicates that redraw every group's measured width from its own seeds ` +
    "(a critical-width quantile through the exact law of the resampled order statistic; a smallest width reaching 1 − δ by redrawing each cell's successes), " +
    "then refit. The weight experiments' theorem and exact widths are closed forms, so their coefficients have no interval; the neuron experiments' " +
    "theorem widths are (1 − δ)-quantiles of each seed's own width, fitted here without one. Coefficients of responses fitted on the same groups compare " +
    'directly; a response with fewer groups (a width not reached within the tested ones) is fitted on those it has.');
  return out.join('\n');
}

/** The smallest tested width whose CI reaches 1 − δ, or "> widest" (with the widest cell's p̂ when `widestP`). */
function reachedText(g: AtlasGroup | undefined, widestP: boolean): string {
  if (!g) return '–';
  if (g.row.smallestAbove !== null) return fmtWidth(g.row.smallestAbove);
  const widest = g.cells[g.cells.length - 1];
  return `> ${fmtWidth(Math.max(...g.row.testedWidths))}` + (widestP ? ` (p̂ = ${fmtP(num(widest.p_hat))} at ${widest.k}, ${widest.seeds} seeds)` : '');
}

/** One weight at one δ: the pair rule's stated, exact and measured widths beside the subset-sum constructions' measured widths, by ε. */
function oneWeightTable(groups: AtlasGroup[], delta: number): string {
  const at = (trial: RegExp) => groups.filter((g) => trial.test(g.trial) && g.row.delta === delta);
  const pair = at(/^lemma-pair$/), direct = at(/^lemma-subset-direct$/), product = at(/^lemma-subset-product$/);
  const eps = [...new Set([...pair, ...direct, ...product].map((g) => Number(g.row.group.epsilon)))].sort((a, b) => b - a);
  if (eps.length === 0) return '';
  const find = (list: AtlasGroup[], e: number) => list.find((g) => Number(g.row.group.epsilon) === e);
  const quantile = (g: AtlasGroup | undefined) => (g?.row.quantile ? quantileText(g.row) : '–');
  const above = (g: AtlasGroup | undefined) => reachedText(g, false);
  const rows = eps.map((e) => {
    const p = find(pair, e), d = find(direct, e), q = find(product, e);
    return [String(e), fmtWidth(p?.row.theoryWidth ?? null), fmtWidth(p?.row.exactWidth ?? null), quantile(p), quantile(d), above(d), above(q)];
  });
  return table(['ε', "pair rule: lemma's width", 'pair rule: exact width', 'pair rule: measured (quantile [95% CI])',
    'subset sum of k coefficients (direct): measured (quantile [95% CI])', 'direct: smallest tested k with CI ≥ 1 − δ', 'subset sums of k product units: smallest tested k with CI ≥ 1 − δ'], rows);
}

/** Weight pruning, same shapes: the pair rule's measured widths beside subset sums' (Pensia et al.'s method, k ≤ 48), by criterion. */
function pruneSubsetTable(groups: AtlasGroup[], delta: number): string {
  const subset = groups.filter((g) => g.trial === 'prune-subset' && g.row.delta === delta);
  if (subset.length === 0) return '';
  const pair = groups.filter((g) => /^prune-(l2|pair)$/.test(g.trial) && g.row.delta === delta);
  const key = (g: AtlasGroup) => ['d', 'n', 'l', 'epsilon'].map((k) => g.row.group[k]).join(' ');
  const keys = [...new Set(subset.map(key))];
  const above = (g: AtlasGroup | undefined) => reachedText(g, true);
  const rows = keys.map((k) => {
    const [d, n, l, epsilon] = k.split(' ');
    const p = pair.find((g) => key(g) === k);
    const per = subset.find((g) => key(g) === k && g.row.group.criterion === 'per-weight');
    const glob = subset.find((g) => key(g) === k && g.row.group.criterion === 'global');
    return [`${d}-${Array(Number(l) - 1).fill(n).join('-')}-1`, epsilon, fmtWidth(p?.row.theoryWidth ?? null),
      p?.row.quantile ? quantileText(p.row) : '–', p?.row.globalQuantile ? quantileText({ ...p.row, quantile: p.row.globalQuantile }) : '–', above(per), above(glob)];
  });
  return table(['target', 'ε', "theorem's width (pair rule)", 'pair rule, per-weight: measured (quantile [95% CI])', 'pair rule, global certified: measured (quantile [95% CI])',
    'subset sums, per-weight: smallest tested k with CI ≥ 1 − δ', 'subset sums, global certified: smallest tested k with CI ≥ 1 − δ'], rows);
}

function mnistTable(groups: AtlasGroup[]): string {
  const chosen = groups.filter((g) => /^prune-mnist/.test(g.trial));
  if (chosen.length === 0) return '';
  const rows = chosen.map((g) => {
    const c = g.cells[g.cells.length - 1];
    const shape = [c.d, ...Array(Number(c.l) - 1).fill(c.n), c.out].join('-');
    const q = (r: TheoryRow, which: 'quantile' | 'globalQuantile') => (r[which] ? quantileText({ ...r, quantile: r[which] }) : '–');
    return [shape, String(g.row.delta), String(g.row.seeds), fmtWidth(g.row.theoryWidth), q(g.row, 'quantile'), g.row.ratio ? ratioText(g.row.ratio) : '–',
      q(g.row, 'globalQuantile'), g.row.globalRatio ? ratioText(g.row.globalRatio) : '–', fmtExtra(c.mean_certified_error), fmtExtra(c.max_sampled_error), `${g.trial} cell ${g.quantileCell}`];
  });
  return table(['shape', 'δ', 'seeds', "theorem's width", 'per-weight width (quantile [95% CI])', 'theorem / per-weight', 'global certified width (quantile [95% CI])', 'theorem / global',
    'mean certified error at k', 'max sampled error at k', 'cell'], rows);
}

function fmtExtra(v: string | undefined): string {
  const x = num(v);
  return x === null ? '–' : x.toPrecision(3);
}

function trainedTable(trials: AtlasTrial[]): string {
  const t = trials.find((x) => x.trial.config.experiment === 'trained-prune');
  if (!t) return '';
  const own = t.trial.config.cells[0].params.delta;
  const rows = t.trial.summary.filter((c) => Number(c.delta) === own).map((c) => [
    c.k, c.seeds, fmtP(num(c.p_hat)), pct(c.mean_target_accuracy), pct(c.mean_pruned_accuracy), pct(c.min_pruned_accuracy), pct(c.mean_agreement), fmtExtra(c.mean_certified_error), fmtWidth(num(c.theory_width)), `${t.trial.config.name} cell ${c.cell}`,
  ]);
  return table(['k (units per block)', 'seeds', 'p̂ (certified ≤ ε)', 'target accuracy', 'pruned accuracy (mean)', 'pruned accuracy (min)', 'agreement with target', 'mean certified error', "theorem's width", 'cell'], rows);
}

const pct = (v: string | undefined) => { const x = num(v); return x === null ? '–' : `${(100 * x).toFixed(2)}%`; };

function renderAtlas(loaded: LoadedRun, trials: AtlasTrial[], laws: LawResult[], plots: Map<string, string[]>, lawPlots: string[], meta: AtlasMeta): string {
  const groups = trials.flatMap((t) => t.groups);
  const seeds = loaded.trials.reduce((n, t) => n + t.seeds, 0);
  const cells = loaded.trials.reduce((n, t) => n + t.config.cells.length, 0);
  const out: string[] = [];
  out.push(`# The atlas${meta.quick ? ' (quick)' : ''}: how tight are the strong lottery ticket bounds?`);
  out.push('');
  out.push(`${loaded.trials.length} trials, ${cells} cells, ${seeds} seeds, master seed ${loaded.run.master_seed}, configuration ${loaded.run.config_hash.slice(0, 16)}. ` +
    `Regenerate with \`${meta.command}\` (code and trials: commit ${meta.commit ?? 'unknown'}); every number below names its trial and cell, ` +
    'and the same numbers are in widths.csv, fits.csv and summary/.' +
    (meta.quick ? ' This is the quick atlas: few seeds and small grids, checked byte for byte in CI; the full atlas is ../report.md.' : ''));
  out.push('');
  out.push('**How to read it.** A theorem states a width (units per block, groups, neurons) at which a random network contains, with probability ≥ 1 − δ, ' +
    'a subnetwork within ε of the target. The *measured minimal width* is the smallest width at which the construction of the proof succeeds with ' +
    'probability ≥ 1 − δ: the (1 − δ)-quantile of the seeds\' critical widths (the smallest width at which each seed succeeds; one run gives the whole ' +
    'success-vs-width curve), with an exact order-statistic interval; where an experiment has no critical width, the smallest tested width whose Clopper–Pearson ' +
    'interval reaches 1 − δ. The ratio theorem / measured says how much wider than necessary the stated width is *for this construction*; a smarter ' +
    'construction could need less, so it is not a lower bound for all subnetworks. Cells at or above the theorem\'s width test the theorem; cells below it do not.');
  out.push('');
  out.push('## Headline: the stated widths against the measured ones');
  out.push('');
  out.push(headline(groups));
  out.push('');
  for (const delta of [0.01, 0.1]) {
    const one = oneWeightTable(groups, delta);
    if (!one) continue;
    out.push(`## One weight, δ = ${delta}: polynomial (pair rule) against logarithmic (subset sums) in 1/ε`);
    out.push('');
    out.push(one);
    out.push('');
  }
  for (const delta of [0.01, 0.1]) {
    const subsets = pruneSubsetTable(groups, delta);
    if (!subsets) continue;
    out.push(`## Weight pruning, δ = ${delta}: pair rule against subset sums on the same targets`);
    out.push('');
    out.push(subsets);
    out.push('');
    out.push('Subset sums (THEORY.md §7) keep the closest subset sum of a block\'s products on each sign side: their width grows like log(1/ε) where the pair rule\'s grows like 1/ε; the method scans and is capped at k = 48 units a block.');
    out.push('');
  }
  const mnist = mnistTable(groups);
  if (mnist) {
    out.push('## MNIST-shaped targets');
    out.push('');
    out.push(mnist);
    out.push('');
    out.push('With tens of seeds a (1 − δ)-quantile\'s upper end is often "> k" (beyond every seed): these rows bound the width from below only.');
    out.push('');
  }
  const trained = trainedTable(trials);
  if (trained) {
    out.push('## A trained network (Fashion-MNIST)');
    out.push('');
    out.push('The target is a trained ReLU net (THEORY.md §2b: biases folded in, layers rescaled into the theorem\'s class, inputs into the unit ball); ' +
      'ε is relative to its largest normalized output, accuracies come from running the pruned random network itself on the test images.');
    out.push('');
    out.push(trained);
    out.push('');
  }
  out.push('## Scaling laws');
  out.push('');
  out.push(lawsTable(laws));
  out.push('');
  for (const name of lawPlots) out.push(`![${name}](plots/${name}.png)`);
  out.push('');
  out.push('## Appendix: every trial');
  for (const t of trials) {
    const experiment = experiments[t.trial.config.experiment];
    out.push('');
    out.push(`### ${t.trial.config.name} (${t.trial.config.experiment} v${t.trial.config.version}, ${t.trial.config.stop === 'decided' ? 'until decided' : 'fixed seeds'})`);
    out.push('');
    const description = meta.descriptions[t.trial.config.name] ?? '';
    if (description) { out.push(description); out.push(''); }
    out.push(/[.?!]$/.test(experiment.summary) ? experiment.summary : `${experiment.summary}.`);
    out.push('');
    out.push('Theory vs measurement (every group, at every δ read):');
    out.push('');
    out.push(theoryTable(t.groups.map((g) => g.row), t.trial));
    out.push('');
    out.push('Cells:');
    out.push('');
    out.push(cellTable(t.trial, t.trial.config.confidence));
    for (const plot of plots.get(t.trial.config.name) ?? []) {
      out.push('');
      out.push(`![${plot}](plots/${plot}.png)`);
    }
  }
  out.push('');
  return out.join('\n');
}

function commandText(loaded: LoadedRun, meta: AtlasMeta): string {
  return [
    `command: ${meta.command}`,
    `code and trials: ${meta.commit ?? 'unknown'} (git log -1 --format=%H -- src trials package-lock.json)`,
    `master seed: ${loaded.run.master_seed}`,
    `configuration hash: ${loaded.run.config_hash}`,
    `trials: ${loaded.run.trials.map((t) => `${t.name} (${t.experiment} v${t.version}, ${t.cells.length} cells × ${t.seeds} seeds${t.stop === 'decided' ? ', until decided' : ''})`).join('; ')}`,
    '',
  ].join('\n');
}

/** Per law, measured widths against the fit's prediction (log–log), one colour per response, with the diagonal. */
function lawPlotSpecs(laws: LawResult[]): TopLevelSpec[] {
  const specs: TopLevelSpec[] = [];
  for (const spec of [...new Set(laws.map((l) => l.spec))]) {
    const these = laws.filter((l) => l.spec === spec);
    const values = these.flatMap((l) => l.points.map((p) => ({ response: RESPONSE_TEXT[l.response], measured: p.measured, fitted: p.fitted })));
    if (values.length === 0) continue;
    const all = values.flatMap((v) => [v.measured, v.fitted]).filter((v) => v > 0);
    const lo = Math.min(...all), hi = Math.max(...all);
    const scale = spec.linear ? { type: 'linear' as const } : { type: 'log' as const };
    specs.push({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `${spec.name}: measured vs fitted width`,
      width: 420,
      height: 360,
      layer: [
        { data: { values: [{ a: lo }, { a: hi }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: { x: { field: 'a', type: 'quantitative', scale }, y: { field: 'a', type: 'quantitative', scale } } },
        { data: { values }, mark: { type: 'point', filled: true }, encoding: {
          x: { field: 'fitted', type: 'quantitative', title: 'fitted width (scaling law)', scale },
          y: { field: 'measured', type: 'quantitative', title: 'width (measured or stated)', scale },
          color: { field: 'response', type: 'nominal', title: 'response' },
        } },
      ],
    } as TopLevelSpec);
  }
  return specs;
}
