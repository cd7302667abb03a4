import { parse } from 'csv-parse/sync';
import type { LoadedTrial } from '../report/load-run.js';
import { experiments } from '../experiments/index.js';
import { summarizeCell, summaryCsv } from '../run-dir/summary.js';

/**
 * Failure probabilities each experiment's critical widths are read at (issue 16): the
 * (1 − δ)-quantile of the seeds' critical widths is the measured minimal width for that δ,
 * and one set of draws serves every δ. Only experiments whose theorem width is a closed form
 * of the cell's parameters are re-read; the neuron experiments' widths depend on each seed's
 * draws at the cell's own δ, so they keep it.
 */
export const READ_DELTAS: Record<string, number[]> = {
  'weight-lemma': [0.1, 0.01, 1e-4],
  'weight-prune': [0.1, 0.01],
  'trained-prune': [0.1, 0.01],
};

/**
 * A trial whose cells are read at several δ: every cell appears once per δ (same cell index,
 * same seeds and histograms, its summary recomputed from the cell's aggregate with δ replaced:
 * target 1 − δ, verdict, theorem width, exact width). A width given as "theory" keeps the value
 * it resolved to at the trial's own δ. Trials that sweep δ themselves, experiments without
 * closed-form widths, and δ values the seeds cannot resolve (fewer than 1/δ seeds) are left as they are.
 */
export function readAtDeltas(trial: LoadedTrial): LoadedTrial {
  const deltas = READ_DELTAS[trial.config.experiment];
  const own = new Set(trial.config.cells.map((c) => c.params.delta as number));
  if (!deltas || own.size !== 1 || trial.summary.length === 0) return trial;
  const seeds = Math.min(...trial.stats.map((s) => s.seeds));
  const read = [...new Set([...own, ...deltas.filter((d) => seeds * d >= 1)])].sort((a, b) => b - a);
  if (read.length === 1) return trial;
  const experiment = experiments[trial.config.experiment];
  const cells = read.flatMap((delta) => trial.config.cells.map((cell) => ({ ...cell, params: { ...cell.params, delta } })));
  const records = cells.map((cell) => summarizeCell(experiment, { index: cell.index, params: cell.params }, trial.stats[cell.index], trial.config.confidence, trial.config.stop));
  const names = Object.keys(trial.config.cells[0].params);
  const summary = parse(summaryCsv({ experiment, confidence: trial.config.confidence, records }, names), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return { ...trial, config: { ...trial.config, cells }, summary };
}
