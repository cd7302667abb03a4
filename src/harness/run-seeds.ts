import { experiments } from '../experiments/index.js';
import { newCellStats, addRow } from '../experiments/aggregate.js';
import { Streams } from '../rng/streams.js';
import { csvLine } from '../run-dir/csv.js';
import { encodeRecord } from './record.js';
import { RowBlock } from './row-block.js';
import { seedAt, type Task, type TaskResult, type SeedFailure } from './task.js';

const prefixes = new Map<string, string>();

/** The cell's parameters as CSV, formatted once per cell and worker. */
function paramsCsv(task: Task): string {
  const key = JSON.stringify(task.params);
  let text = prefixes.get(key);
  if (text === undefined) {
    text = csvLine(Object.values(task.params)).slice(0, -1);
    if (prefixes.size > 1000) prefixes.clear();
    prefixes.set(key, text);
  }
  return text;
}

/**
 * Runs a batch of seeds in the current thread and returns its journal record: the batch's
 * aggregate and its rows: trials.csv lines (`rows: "csv"`) or binary columns for trials.parquet
 * (`rows: "parquet"`, row-block.ts), so the coordinator only appends bytes and merges
 * aggregates (no per-seed work on the main thread). Shared by the pool
 * worker and by in-process callers (calibration).
 */
export function runSeeds(task: Task): TaskResult {
  const started = performance.now();
  const experiment = experiments[task.experiment];
  const params = task.params;
  const stats = newCellStats(experiment);
  const successAt = experiment.columns.findIndex((c) => c.name === 'success');
  const withRows = task.rows === 'csv';
  const middle = withRows ? ',' + paramsCsv(task) : '';
  const block = task.rows === 'parquet' ? new RowBlock(task.count, experiment.columns.length) : null;
  let rows = '', successes = 0;
  for (let j = 0; j < task.count; j++) {
    const seed = seedAt(task, task.firstPos + j);
    const streams = Streams.forSeed(task.cellHi, task.cellLo, seed);
    let row;
    try {
      row = experiment.run(params, streams);
    } catch (e) {
      const failure: SeedFailure = { lth: 'seed-failure', seed, message: (e as Error)?.message ?? String(e), stack: (e as Error)?.stack };
      throw new Error(JSON.stringify(failure));
    }
    addRow(stats, experiment, row);
    if (row[successAt] === 1) successes++;
    if (block) block.set(j, streams.seedHi, streams.seedLo, row);
    else if (withRows) {
      let line = task.cell + ',' + seed + ',' + streams.hex + middle;
      for (let c = 0; c < row.length; c++) {
        const value = row[c];
        line += value === null || Number.isNaN(value) ? ',' : ',' + value;
      }
      rows += line + '\n';
    }
  }
  const record = encodeRecord(task.cell, task.firstPos, task.count, JSON.stringify(stats), block ? block.bytes : rows);
  return { record, successes, elapsedMs: performance.now() - started };
}
