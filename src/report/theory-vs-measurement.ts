import type { LoadedTrial } from './load-run.js';
import { num, cellWidth } from './load-run.js';
import { paramColumn } from '../run-dir/csv.js';
import { experiments } from '../experiments/index.js';
import { quantileWithCI } from '../stats/quantile-ci.js';
import { clopperPearson } from '../stats/clopper-pearson.js';
import type { Histogram } from '../stats/histogram.js';

/**
 * "Theory vs measurement" (issue 7): cells that differ only in the width parameter form
 * a group; per group, the theorem's width, the smallest tested width whose CI lower end
 * reaches 1 − δ, and the minimal width estimated from the seeds' critical widths (the
 * (1 − δ)-quantile, with an exact order-statistic CI), and the ratio theorem / measured.
 */
export interface TheoryRow {
  group: Record<string, string>;
  delta: number;
  theoryWidth: number | null;
  exactWidth: number | null;
  smallestAbove: number | null;
  testedWidths: number[];
  quantile: { value: number; low: number; high: number } | null;
  ratio: number | null;
  seeds: number;
  /** The experiment's extra theory columns (heading → value from the widest cell). */
  extras: Record<string, string>;
  /**
   * Global criterion (THEORY.md §5b) cells: the minimal width from the seeds' global critical
   * widths (certified ≤ ε; the lower side of the bracket in probability, so an upper bound on
   * this construction's width), and from the cells' sampled successes (the upper side, so a
   * lower bound): the smallest tested width with p̂ ≥ 1 − δ, bracketed by the smallest with CI
   * upper end ≥ 1 − δ and the smallest with CI lower end ≥ 1 − δ. Null elsewhere.
   */
  globalQuantile: { value: number; low: number; high: number } | null;
  globalRatio: number | null;
  sampledWidth: { value: number | null; low: number | null; high: number | null } | null;
  sampledRatio: number | null;
  /** The cells whose critical widths gave `quantile` and `globalQuantile` (sampleCell), or null without them. */
  quantileCell: number | null;
  globalCell: number | null;
}

export function theoryVsMeasurement(trial: LoadedTrial, confidence: number): TheoryRow[] {
  const experiment = experiments[trial.config.experiment];
  const widthColumn = paramColumn(experiment.widthParam);
  const paramNames = Object.keys(trial.config.cells[0]?.params ?? {}).map(paramColumn);
  const groupColumns = paramNames.filter((c) => c !== widthColumn);
  const groups = new Map<string, Record<string, string>[]>();
  for (const cell of trial.summary) {
    const key = groupColumns.map((c) => cell[c]).join('|');
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const hasCritical = experiment.columns.some((c) => c.name === 'critical_width');
  const out: TheoryRow[] = [];
  for (const cells of groups.values()) {
    const group: Record<string, string> = {};
    for (const c of groupColumns) group[c] = cells[0][c];
    const delta = Number(cells[0].delta);
    const widths = cells.map((c) => cellWidth(c, widthColumn)).filter(Number.isFinite).sort((a, b) => a - b);
    const above = cells.filter((c) => c.verdict === 'above').map((c) => cellWidth(c, widthColumn)).filter(Number.isFinite);
    const theoryWidth = cells.map((c) => num(c.theory_width)).find((x) => x !== null) ?? null;
    const widest = cells.reduce((a, b) => (cellWidth(b, widthColumn) > cellWidth(a, widthColumn) ? b : a));
    let quantile = null;
    let quantileCell = null;
    let seeds = 0;
    const criticalByCell = trial.critical;
    if (hasCritical && criticalByCell) {
      quantileCell = Number(sampleCell(cells, criticalByCell, widthColumn).cell);
      const critical = criticalByCell.get(quantileCell);
      seeds = critical?.total ?? 0;
      quantile = critical ? quantileWithCI(critical, 1 - delta, confidence) : null;
    } else {
      seeds = Math.max(...cells.map((c) => Number(c.seeds)));
    }
    const measured = quantile && Number.isFinite(quantile.value) ? quantile.value : above.length ? Math.min(...above) : null;
    const global = cells.some((c) => c.criterion === 'global');
    let globalQuantile = null;
    let globalCell = null;
    if (global && trial.globalCritical) {
      globalCell = Number(sampleCell(cells, trial.globalCritical, widthColumn).cell);
      const histogram = trial.globalCritical.get(globalCell);
      globalQuantile = histogram ? quantileWithCI(histogram, 1 - delta, confidence) : null;
    }
    const sampledWidth = global && cells.some((c) => (c.sampled_successes ?? '') !== '') ? sampledCriterionWidth(cells, widthColumn, delta, confidence) : null;
    out.push({
      group,
      delta,
      theoryWidth,
      exactWidth: num(cells[0].exact_width),
      smallestAbove: above.length ? Math.min(...above) : null,
      testedWidths: widths,
      quantile,
      ratio: theoryWidth !== null && measured ? theoryWidth / measured : null,
      seeds,
      globalQuantile,
      globalRatio: theoryWidth !== null && globalQuantile && Number.isFinite(globalQuantile.value) && globalQuantile.value > 0 ? theoryWidth / globalQuantile.value : null,
      sampledWidth,
      sampledRatio: theoryWidth !== null && sampledWidth?.value ? theoryWidth / sampledWidth.value : null,
      extras: Object.fromEntries(Object.entries(experiment.theoryExtras ?? {}).map(([column, heading]) => [heading, widest[column] ?? ''])),
      quantileCell,
      globalCell,
    });
  }
  return out;
}

/**
 * The cell whose critical widths estimate the group's quantile. Critical widths are shared by all
 * cells of a group (common random numbers; seeds are prefixes of one sequence), so the largest
 * sample is best — as long as every width in it is known. Unknown widths (+∞: a scan stopped at
 * k) are rarest in the widest cell, which is the choice otherwise. Cells stopped early
 * (`--until-decided`) differ in seeds: the widest is often the one decided first.
 */
export function sampleCell(cells: Record<string, string>[], histograms: Map<number, Histogram>, widthColumn: string): Record<string, string> {
  const widest = cells.reduce((a, b) => (cellWidth(b, widthColumn) > cellWidth(a, widthColumn) ? b : a));
  const complete = cells.filter((c) => {
    const h = histograms.get(Number(c.cell));
    return h !== undefined && h.total > 0 && Number.isFinite(h.at(h.total));
  });
  if (complete.length === 0) return widest;
  const size = (c: Record<string, string>) => histograms.get(Number(c.cell))!.total;
  return complete.reduce((a, b) => (size(b) > size(a) || (size(b) === size(a) && cellWidth(b, widthColumn) > cellWidth(a, widthColumn)) ? b : a));
}

/** Smallest tested widths where the sampled-error success (p̂, and its CI ends) reaches 1 − δ. */
function sampledCriterionWidth(cells: Record<string, string>[], widthColumn: string, delta: number, confidence: number) {
  const sorted = [...cells].sort((a, b) => cellWidth(a, widthColumn) - cellWidth(b, widthColumn));
  const first = (ok: (p: number, low: number, high: number) => boolean) => {
    for (const c of sorted) {
      const x = num(c.sampled_successes), n = Number(c.seeds);
      if (x === null || !(n > 0)) continue;
      const ci = clopperPearson(x, n, confidence);
      if (ok(x / n, ci.low, ci.high)) return cellWidth(c, widthColumn);
    }
    return null;
  };
  const goal = 1 - delta;
  return { value: first((p) => p >= goal), low: first((_, __, high) => high >= goal), high: first((_, low) => low >= goal) };
}
