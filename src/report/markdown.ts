import type { LoadedRun, LoadedTrial } from './load-run.js';
import { num, cellWidth } from './load-run.js';
import { experiments } from '../experiments/index.js';
import { paramColumn } from '../run-dir/csv.js';
import { theoryVsMeasurement, type TheoryRow } from './theory-vs-measurement.js';

/** report.md: readable in a terminal and on GitHub, from run.json and the CSVs alone. */

export function fmtP(x: number | null): string {
  return x === null ? '–' : x === 1 ? '1' : x === 0 ? '0' : x.toFixed(4);
}

export function fmtWidth(x: number | null): string {
  if (x === null) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '–';
  return x < 1e6 ? String(Math.round(x)) : x.toExponential(2);
}

export function table(header: string[], rows: string[][]): string {
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ].join('\n');
}

/** Parameters that take more than one value in a trial, and those fixed (shown once). */
function splitParams(trial: LoadedTrial): { varying: string[]; fixed: Record<string, string> } {
  const names = Object.keys(trial.config.cells[0]?.params ?? {}).map(paramColumn);
  const varying: string[] = [], fixed: Record<string, string> = {};
  for (const name of names) {
    const values = new Set(trial.summary.map((c) => c[name]));
    if (values.size > 1) varying.push(name); else fixed[name] = trial.summary[0]?.[name] ?? '';
  }
  return { varying, fixed };
}

function widthStatus(cell: Record<string, string>, widthColumn: string): string {
  const theory = num(cell.theory_width), width = cellWidth(cell, widthColumn);
  if (cell[widthColumn] === 'theory') return 'test of the theorem (each seed at its own width)';
  if (theory === null || !Number.isFinite(width)) return 'no theorem width';
  if (width >= theory) return 'test of the theorem';
  return `below the theorem's width (${fmtWidth(theory)})`;
}

export function cellTable(trial: LoadedTrial, confidence: number): string {
  const experiment = experiments[trial.config.experiment];
  const widthColumn = paramColumn(experiment.widthParam);
  const { varying, fixed } = splitParams(trial);
  const shown = varying.includes(widthColumn) ? varying : [...varying, widthColumn];
  const sequential = trial.summary.some((c) => c.interval === 'confidence-sequence');
  const header = ['cell', ...shown, 'seeds', 'p̂', `${Math.round(confidence * 100)}% ${sequential ? 'CS' : 'CI'}`, '1 − δ', 'verdict', 'width'];
  const extra = trial.summary[0] && 'p_exact' in trial.summary[0] ? 'p_exact' : trial.summary[0] && 'mean_p_exact' in trial.summary[0] ? 'mean_p_exact' : null;
  if (extra) header.splice(header.indexOf(`${Math.round(confidence * 100)}% ${sequential ? 'CS' : 'CI'}`) + 1, 0, extra === 'p_exact' ? 'p exact' : 'mean p exact');
  const rows = trial.summary.map((cell) => {
    const row = [
      cell.cell,
      ...shown.map((c) => cell[c]),
      cell.seeds,
      fmtP(num(cell.p_hat)),
      `[${fmtP(num(cell.ci_low))}, ${fmtP(num(cell.ci_high))}]`,
    ];
    if (extra) row.push(fmtP(num(cell[extra])));
    row.push(fmtP(num(cell.target)), `**${cell.verdict}**`, widthStatus(cell, widthColumn));
    return row;
  });
  const fixedLine = Object.entries(fixed).filter(([k]) => !shown.includes(k)).map(([k, v]) => `${k} = ${v}`).join(', ');
  return (fixedLine ? `Fixed parameters: ${fixedLine}.\n\n` : '') + table(header, rows);
}

/**
 * Pensia et al. 2020's published experiment 1 (their direct construction with a MIP solver),
 * shown beside a trained-prune trial's `construction: "direct"` cells (issue 14 item 7).
 */
export const PENSIA_EXPERIMENT_1 = {
  source: 'Pensia et al. 2020, experiment 1 (published)',
  data: 'MNIST (a different data set)',
  network: '784-500-10, bias-free ReLU',
  targetAccuracy: '97.19%',
  prunedAccuracy: '97.19%',
  k: '21',
  tolerance: 'ε = 0.01',
  wallTime: '21.5 h on 36 cores, MIP solver (Gurobi)',
};

/** Our direct cells' accuracies and counts beside Pensia et al.'s figures; empty for other trials. */
function pensiaTable(trial: LoadedTrial, elapsedSeconds: number): string {
  if (trial.config.experiment !== 'trained-prune') return '';
  const direct = trial.summary.filter((cell) => cell.construction === 'direct');
  if (direct.length === 0) return '';
  const percent = (value: string | undefined) => (value === undefined || value === '' ? '–' : `${(100 * Number(value)).toFixed(2)}%`);
  const header = ['', 'data', 'network', 'target accuracy', 'pruned accuracy', 'weights within tolerance', 'coefficients per weight k', 'kept per weight',
    'per-weight tolerance', 'wall time'];
  const rows = direct.map((cell) => [
    `this run, cell ${cell.cell}`, `${cell.data} (${cell.split})`, cell.model, percent(cell.mean_target_accuracy),
    `${percent(cell.mean_pruned_accuracy)} (mean; min ${percent(cell.min_pruned_accuracy)})`, percent(cell.mean_weights_ok_fraction),
    cell.k, fmtExtra(cell.mean_kept_per_weight), `τ = ${cell.tau}`, `${elapsedSeconds} s: the whole run (every trial and cell)`,
  ]);
  const p = PENSIA_EXPERIMENT_1;
  rows.push([p.source, p.data, p.network, p.targetAccuracy, p.prunedAccuracy, '–', p.k, '–', p.tolerance, p.wallTime]);
  return '### Beside Pensia et al. 2020\n\n' + table(header, rows) +
    '\n\nPensia et al. report accuracies on MNIST, not on this data, with their own target net and solver: compare the gap between ' +
    'target and pruned accuracy, not the accuracies themselves. Our wall time is the run\'s elapsed time (run.json `elapsed_s`), ' +
    'for all its trials together.';
}

function fmtExtra(value: string | undefined): string {
  if (value === undefined || value === '') return '–';
  const x = Number(value);
  if (!Number.isFinite(x)) return value;
  return Math.abs(x) >= 1000 ? fmtWidth(x) : x.toPrecision(3);
}

/** The measured minimal width; "> k" where more than δ of the seeds did not succeed within the widest tested k. */
export function quantileText(r: TheoryRow): string {
  if (!r.quantile) return '–';
  const widest = fmtWidth(Math.max(...r.testedWidths));
  const show = (x: number) => (Number.isFinite(x) ? fmtWidth(x) : `> ${widest}`);
  if (!Number.isFinite(r.quantile.value)) return `> ${widest} (not reached within the tested widths)`;
  return `${show(r.quantile.value)} [${show(r.quantile.low)}, ${show(r.quantile.high)}]`;
}

export function theoryTable(rows: TheoryRow[], trial: LoadedTrial): string {
  if (rows.length === 0) return '';
  const groupColumns = Object.keys(rows[0].group).filter((c) => new Set(rows.map((r) => r.group[c])).size > 1 || c === 'delta');
  const hasExact = rows.some((r) => r.exactWidth !== null);
  const extraHeadings = Object.keys(rows[0].extras);
  const header = [...groupColumns, "theorem's width", ...extraHeadings, ...(hasExact ? ['exact width'] : []), 'smallest tested width with CI ≥ 1 − δ',
    'measured minimal width (critical-width quantile, CI)', 'theorem / measured'];
  const hasGlobal = rows.some((r) => r.globalQuantile !== null || r.sampledWidth !== null);
  if (hasGlobal) header.push('global criterion: certified minimal width (quantile, CI)', 'theorem / global', 'global criterion: sampled-error width [CI bracket]', 'theorem / sampled');
  const ratio = (x: number | null) => (x === null ? '–' : `${x.toFixed(x < 10 ? 2 : 0)}×`);
  const body = rows.map((r) => [
    ...groupColumns.map((c) => r.group[c]),
    fmtWidth(r.theoryWidth),
    ...extraHeadings.map((h) => fmtExtra(r.extras[h])),
    ...(hasExact ? [fmtWidth(r.exactWidth)] : []),
    r.smallestAbove === null ? `none of ${r.testedWidths.map(fmtWidth).join(', ')}` : fmtWidth(r.smallestAbove),
    quantileText(r),
    ratio(r.ratio),
    ...(hasGlobal ? [
      r.globalQuantile ? quantileText({ ...r, quantile: r.globalQuantile }) : '–', ratio(r.globalRatio),
      r.sampledWidth ? sampledText(r.sampledWidth, r.testedWidths) : '–',
      // reached already at the smallest tested width: the width is at most that, the ratio at least this
      r.sampledWidth?.value === Math.min(...r.testedWidths) && r.sampledRatio !== null ? `≥ ${ratio(r.sampledRatio)}` : ratio(r.sampledRatio),
    ] : []),
  ]);
  const note = trial.critical === null && trial.summary.length > 0 && experiments[trial.config.experiment].columns.some((c) => c.name === 'critical_width') ? '\n\n(trials.csv missing: no critical-width quantiles)' : '';
  const bracket = hasGlobal
    ? '\n\nGlobal criterion (THEORY.md §5b): the first width columns of a global row are the per-weight rule on the same draws. ' +
      'For the global construction, P(certified ≤ ε) ≤ P(sup error ≤ ε) ≤ P(sampled ≤ ε): the certified width is an upper bound ' +
      'on this construction\'s minimal width, the sampled-error width a lower bound (the sampled error under-estimates the sup). ' +
      'The sampled-error width is the smallest tested k with p̂ ≥ 1 − δ, bracketed by the smallest tested k whose Clopper–Pearson ' +
      'interval reaches 1 − δ at its upper and at its lower end.'
    : '';
  return table(header, body) + note + bracket;
}

function sampledText(s: { value: number | null; low: number | null; high: number | null }, tested: number[]): string {
  const widest = fmtWidth(Math.max(...tested));
  const smallest = Math.min(...tested);
  const show = (x: number | null) => (x === null ? `> ${widest}` : x === smallest ? `≤ ${fmtWidth(x)}` : fmtWidth(x));
  return `${show(s.value)} [${show(s.low)}, ${show(s.high)}]`;
}

export function renderReport(loaded: LoadedRun, plots: Map<string, string[]>): string {
  const { run } = loaded;
  const out: string[] = [];
  out.push(`# lottery-harness report: ${loaded.dir}`);
  out.push('');
  const status = loaded.running ? 'partial: running now' : run.status === 'running' ? 'running or interrupted' : run.status;
  out.push(`Status: **${status}**${loaded.running || run.status !== 'complete' ? ' (numbers below cover the seeds finished so far)' : ''}.`);
  out.push('');
  out.push(table(['', ''], [
    ['trials', run.trials.map((t) => `${t.name} (${t.experiment} v${t.version}, ${t.cells.length} cells × ${t.seeds} seeds, rows ${t.rows ?? "csv"})`).join('; ')],
    ['master seed', run.master_seed],
    ['configuration hash', run.config_hash.slice(0, 16)],
    ['tool', `${run.tool.name} ${run.tool.version}, commit ${run.git_commit ?? 'unknown'}`],
    ['versions', Object.entries(run.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['shard', run.shard ? `${run.shard.index}/${run.shard.count}` : 'none (all seeds)'],
    ['threads', String(run.threads)],
    ['elapsed', `${run.elapsed_s} s (${run.seeds_run} seeds computed, ${run.seeds_per_s ?? '–'} seeds/s in the last invocation)`],
    ['started / ended', `${run.started} / ${run.ended ?? '–'}`],
  ]));
  out.push('');
  out.push('How to read this: each cell is one point of a sweep; p̂ is the fraction of independent seeds on which the');
  out.push("construction from the proof succeeded, with an exact Clopper–Pearson interval. The verdict compares the interval");
  out.push('with the claimed probability 1 − δ: **above** (lower end ≥ 1 − δ), **below** (upper end < 1 − δ) or **undecided**.');
  out.push("A cell tests the theorem only when its width is at least the theorem's width; success implies the theorem's");
  out.push('event (error ≤ ε), so p̂ is a lower bound on the probability the theorem speaks about.');
  if (run.trials.some((t) => t.experiment === 'neuron-rf')) {
    out.push('Except for neuron-rf: there success is the test loss *estimated* on test_points fresh points being ≤ ε (its');
    out.push('standard error is loss_se); the estimate can fall on either side of the true loss L_D(c·ḡ), so p̂ is a lower');
    out.push("bound on the theorem's probability only up to that estimation error.");
  }
  out.push('');
  out.push(methodsParagraph(loaded));
  for (const trial of loaded.trials) {
    const experiment = experiments[trial.config.experiment];
    out.push('');
    out.push(`## ${trial.config.name} (${trial.config.experiment})`);
    out.push('');
    out.push(/[.?!]$/.test(experiment.summary) ? experiment.summary : `${experiment.summary}.`);
    out.push('');
    if (trial.summary.length === 0) {
      out.push('No summary.csv yet: the run was interrupted (or is still running). Re-run the same `lth run` command to resume it; the summary and this report are written when it stops or completes.');
      continue;
    }
    out.push(cellTable(trial, trial.config.confidence));
    const pensia = pensiaTable(trial, run.elapsed_s);
    if (pensia) {
      out.push('');
      out.push(pensia);
    }
    const theory = theoryVsMeasurement(trial, trial.config.confidence);
    out.push('');
    out.push('### Theory vs measurement');
    out.push('');
    out.push(theoryTable(theory, trial));
    for (const plot of plots.get(trial.config.name) ?? []) {
      out.push('');
      out.push(`![${plot}](plots/${plot}.png)`);
    }
  }
  return out.join('\n') + '\n';
}

/** Which interval produced each verdict, and whether verdicts were adjusted for multiplicity. */
function methodsParagraph(loaded: LoadedRun): string {
  const cells = loaded.trials.reduce((n, t) => n + t.summary.length, 0);
  const stopped = loaded.trials.filter((t) => t.config.stop === 'decided').map((t) => t.config.name);
  const lines: string[] = [];
  lines.push(stopped.length
    ? `Intervals: trials ${stopped.join(', ')} stopped each cell early (\`--until-decided\`): their cells use the anytime-valid ` +
      'beta-binomial confidence sequence (CS; Robbins 1970, Howard et al. 2021), examined at 64·2^j seeds, and report the seeds ' +
      'actually used; other trials use exact Clopper–Pearson intervals (CI) on a fixed number of seeds.'
    : 'Intervals: exact Clopper–Pearson (CI) on a fixed number of seeds per cell.');
  lines.push(loaded.run.family_wise === 'holm'
    ? `Multiplicity: verdicts are adjusted with Holm's step-down procedure over the family of all ${cells} cells of this run ` +
      '(family-wise error ≤ 1 − confidence); a cell is above/below only if its hypothesis p = 1 − δ is rejected within the family.'
    : `Multiplicity: none (per-cell verdicts over ${cells} cells; among cells whose true probability is exactly 1 − δ, about ` +
      '5% at 95% confidence would get a spurious verdict — use `--family-wise holm` to control the family-wise error).');
  return lines.join('\n\n');
}

export function reportJson(loaded: LoadedRun): unknown {
  return {
    dir: loaded.dir,
    run: loaded.run,
    trials: loaded.trials.map((trial) => ({
      name: trial.config.name,
      experiment: trial.config.experiment,
      cells: trial.summary,
      theory_vs_measurement: theoryVsMeasurement(trial, trial.config.confidence),
    })),
  };
}
