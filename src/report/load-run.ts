import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readRunJson, type RunJson } from '../run-dir/run-json.js';
import { readState } from '../run-dir/state.js';
import { STATE } from '../run-dir/files.js';
import { summarizeCell, applyHolm, summaryCsv, type TrialSummary } from '../run-dir/summary.js';
import { statFields } from '../experiments/aggregate.js';
import { experiments } from '../experiments/index.js';
import { CellStats } from '../stats/cell-stats.js';
import type { Histogram } from '../stats/histogram.js';
import { errors } from '../errors.js';
import type { TrialConfig } from '../trial/config.js';

/** A run directory as the report sees it: run.json plus each trial's aggregates (state.json), nothing per seed. */
export interface LoadedTrial {
  config: TrialConfig;
  /** summary.csv's rows as the run's own aggregates give them (never read back from summary.csv). */
  summary: Record<string, string>[];
  /**
   * Per cell, the exact histogram of the seeds' critical widths (+∞ where unknown: a scan
   * stopped at k), or null when the experiment has no critical width.
   */
  critical: Map<number, Histogram> | null;
  /** The same for the global criterion's critical widths (`global_critical_width`), or null. */
  globalCritical: Map<number, Histogram> | null;
  /** Seeds aggregated, all cells. */
  seeds: number;
  /** Each cell's streaming aggregate (state.json), in cell order: summaries at another δ are recomputed from these (the atlas). */
  stats: CellStats[];
}

export interface LoadedRun {
  dir: string;
  run: RunJson;
  trials: LoadedTrial[];
  /** Another lth process holds the directory (the report is a snapshot of a running run). */
  running: boolean;
}

/**
 * Loads a run for the report from its checkpoints (issue 12/15): the summaries are
 * recomputed from the aggregates with the code the run used, so an edited summary.csv
 * cannot change what the report prints; memory and time grow with cells, not seeds.
 */
export function loadRun(dir: string, running = false): LoadedRun {
  const run = readRunJson(dir);
  const summaries: TrialSummary[] = [];
  const criticals: (Map<number, Histogram> | null)[] = [];
  const globalCriticals: (Map<number, Histogram> | null)[] = [];
  const seeds: number[] = [];
  const allStats: CellStats[][] = [];
  for (const config of run.trials) {
    const experiment = experiments[config.experiment];
    if (!experiment) throw errors.corruptRunJson(dir, `unknown experiment ${config.experiment}`);
    const fields = statFields(experiment);
    const file = join(dir, config.name, STATE);
    const state = readState(file);
    const stats = config.cells.map((_, c) => {
      const json = state?.cells[c]?.stats;
      if (!json) return new CellStats(fields);
      try {
        return CellStats.fromJSON(fields, json);
      } catch (e) {
        throw errors.corruptState(file, `cell ${c}: ${(e as Error).message}`);
      }
    });
    const widths = (column: string) => (experiment.columns.some((c) => c.name === column && c.histogram)
      ? new Map(stats.map((s, c) => [c, s.histogram(column, 'infinity')])) : null);
    criticals.push(widths('critical_width'));
    globalCriticals.push(widths('global_critical_width'));
    seeds.push(stats.reduce((n, s) => n + s.seeds, 0));
    allStats.push(stats);
    summaries.push({
      experiment,
      confidence: config.confidence,
      records: config.cells.map((cell, c) => summarizeCell(experiment, { index: cell.index, params: cell.params }, stats[c], config.confidence, config.stop)),
    });
  }
  if ((run.family_wise ?? 'none') === 'holm') applyHolm(summaries);
  const trials = run.trials.map((config, j) => ({
    config,
    summary: parse(summaryCsv(summaries[j], Object.keys(config.cells[0]?.params ?? {})), { columns: true, skip_empty_lines: true }) as Record<string, string>[],
    critical: criticals[j],
    globalCritical: globalCriticals[j],
    seeds: seeds[j],
    stats: allStats[j],
  }));
  return { dir, run, trials, running };
}

/** A numeric CSV cell: empty means "none". */
export function num(value: string | undefined): number | null {
  return value === undefined || value === '' ? null : Number(value);
}

/**
 * A cell's width in the width parameter's unit: its value, or — for a width given as
 * "theory" and resolved per seed (neuron experiments) — the cell's theorem width.
 */
export function cellWidth(cell: Record<string, string>, widthColumn: string): number {
  const value = Number(cell[widthColumn]);
  if (Number.isFinite(value)) return value;
  return num(cell.theory_width) ?? NaN;
}
