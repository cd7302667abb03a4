import type { LoadedTrial } from './load-run.js';
import { num, cellWidth } from './load-run.js';
import { paramColumn } from '../run-dir/csv.js';
import { experiments } from '../experiments/index.js';
import { quantileWithCI } from '../stats/quantile-ci.js';

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
    let quantile = null;
    let seeds = 0;
    const criticalByCell = trial.critical;
    if (hasCritical && criticalByCell) {
      // critical widths are shared by all cells of a group (common random numbers): use the widest cell,
      // where a scan that stopped early ("> k") is rarest; unknown widths count as +∞
      const widest = cells.reduce((a, b) => (cellWidth(b, widthColumn) > cellWidth(a, widthColumn) ? b : a));
      const critical = criticalByCell.get(Number(widest.cell));
      seeds = critical?.total ?? 0;
      quantile = critical ? quantileWithCI(critical, 1 - delta, confidence) : null;
    } else {
      seeds = Math.max(...cells.map((c) => Number(c.seeds)));
    }
    const measured = quantile && Number.isFinite(quantile.value) ? quantile.value : above.length ? Math.min(...above) : null;
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
      extras: Object.fromEntries(Object.entries(experiment.theoryExtras ?? {}).map(([column, heading]) => {
        const widest = cells.reduce((a, b) => (cellWidth(b, widthColumn) > cellWidth(a, widthColumn) ? b : a));
        return [heading, widest[column] ?? ''];
      })),
    });
  }
  return out;
}
