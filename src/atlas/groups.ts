import jstatPkg from 'jstat';
import type { jStat as JStat } from 'jstat';
import type { LoadedTrial } from '../report/load-run.js';
import { cellWidth, num } from '../report/load-run.js';
import { theoryVsMeasurement, type TheoryRow } from '../report/theory-vs-measurement.js';
import { experiments } from '../experiments/index.js';
import { paramColumn } from '../run-dir/csv.js';
import { clopperPearson } from '../stats/clopper-pearson.js';
import type { OrderStatistics } from '../stats/quantile-ci.js';
import type { Rng } from '../rng/rng.js';
import { readAtDeltas } from './deltas.js';

const { jStat } = jstatPkg as unknown as { jStat: typeof JStat };

/**
 * One group of the atlas (issue 16 item 3): the cells of a trial that differ only in width,
 * read at one δ, with what the report's theory-vs-measurement table computes for it and the
 * handles the scaling-law bootstrap needs to redraw its measured widths.
 */
export interface AtlasGroup {
  trial: string;
  experiment: string;
  row: TheoryRow;
  /** The group's cells (summary rows at this δ), narrowest first. */
  cells: Record<string, string>[];
  /** The cell whose critical widths give the per-weight quantile (TheoryRow.quantileCell), else the widest: traceability. */
  quantileCell: number;
  /** Redraws of the per-weight / global critical-width quantile, and of the smallest tested width whose CI reaches 1 − δ. */
  replicate: {
    perWeight: ((rng: Rng) => number | null) | null;
    global: ((rng: Rng) => number | null) | null;
    smallestAbove: ((rng: Rng) => number | null) | null;
  };
}

export interface AtlasTrial {
  /** The trial as loaded, each cell read at every δ the atlas reads its experiment at. */
  trial: LoadedTrial;
  groups: AtlasGroup[];
}

export function atlasTrial(loaded: LoadedTrial): AtlasTrial {
  const trial = readAtDeltas(loaded);
  const experiment = experiments[trial.config.experiment];
  const widthColumn = paramColumn(experiment.widthParam);
  const rows = theoryVsMeasurement(trial, trial.config.confidence);
  const groups = rows.map((row): AtlasGroup => {
    const cells = trial.summary
      .filter((c) => Object.entries(row.group).every(([k, v]) => c[k] === v))
      .sort((a, b) => cellWidth(a, widthColumn) - cellWidth(b, widthColumn));
    const level = 1 - row.delta;
    const perWeight = row.quantileCell === null ? undefined : trial.critical?.get(row.quantileCell);
    const global = row.globalCell === null ? undefined : trial.globalCritical?.get(row.globalCell);
    return {
      trial: trial.config.name,
      experiment: trial.config.experiment,
      row,
      cells,
      quantileCell: row.quantileCell ?? Number(cells[cells.length - 1].cell),
      replicate: {
        perWeight: row.quantile && perWeight ? quantileReplicate(perWeight, level) : null,
        global: row.globalQuantile && global ? quantileReplicate(global, level) : null,
        smallestAbove: smallestAboveReplicate(cells, widthColumn, level, trial.config.confidence),
      },
    };
  });
  return { trial, groups };
}

/** Kinds of width a group states or measures (the headline's and the scaling laws' responses). */
export type WidthKind = 'per-weight' | 'global' | 'sampled' | 'smallest-above' | 'theorem' | 'exact';

/** A group's width of one kind, or null where it has none (a quantile not reached, or a global width of 0: |w| ≤ ε). */
export function widthOf(row: TheoryRow, kind: WidthKind): number | null {
  const positive = (q: { value: number } | null) => (q && Number.isFinite(q.value) && q.value > 0 ? q.value : null);
  switch (kind) {
    case 'per-weight': return positive(row.quantile);
    case 'global': return positive(row.globalQuantile);
    case 'sampled': return row.sampledWidth?.value ?? null;
    case 'smallest-above': return row.smallestAbove;
    case 'theorem': return row.theoryWidth;
    case 'exact': return row.exactWidth;
  }
}

/**
 * Bootstrap redraw of the sample (1 − δ)-quantile X_(⌈n·level⌉) without resampling n seeds:
 * the r-th order statistic of n draws from the empirical distribution is F̂⁻¹(U_(r)) with
 * U_(r) ~ Beta(r, n − r + 1), so one uniform per replicate gives it exactly in distribution.
 */
export function quantileReplicate(sorted: OrderStatistics, level: number): (rng: Rng) => number | null {
  const n = sorted.total;
  const r = Math.ceil(n * level);
  return (rng) => {
    if (n === 0 || r < 1) return null;
    const u = r >= n ? Math.pow(rng.nextOpen(), 1 / n) : jStat.beta.inv(rng.nextOpen(), r, n - r + 1);
    const value = sorted.at(Math.min(n, Math.max(1, Math.ceil(u * n))));
    return Number.isFinite(value) ? value : null;
  };
}

/** Redraw of "the smallest tested width whose CI lower end reaches 1 − δ": every cell's successes redrawn Binomial(n, p̂). */
function smallestAboveReplicate(cells: Record<string, string>[], widthColumn: string, goal: number, confidence: number) {
  const tested = cells.map((c) => ({ width: cellWidth(c, widthColumn), n: Number(c.seeds), x: num(c.successes) ?? 0 }))
    .filter((c) => Number.isFinite(c.width) && c.n > 0 && c.n <= 100_000);
  if (tested.length === 0 || tested.length !== cells.length) return null;
  return (rng: Rng) => {
    for (const c of tested) {
      const p = c.x / c.n;
      let x = 0;
      for (let i = 0; i < c.n; i++) if (rng.next() < p) x++;
      if (clopperPearson(x, c.n, confidence).low >= goal) return c.width;
    }
    return null;
  };
}
