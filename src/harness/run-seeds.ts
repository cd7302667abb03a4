import { experiments } from '../experiments/index.js';
import { newCellStats, addRow } from '../experiments/aggregate.js';
import { Streams } from '../rng/streams.js';
import { csvLine } from '../run-dir/csv.js';
import { encodeRecord } from './record.js';
import { RowBlock } from './row-block.js';
import { CsvRows } from './csv-rows.js';
import { seedAt, type Task, type TaskResult, type SeedFailure } from './task.js';

const prefixes = new Map<string, Buffer>();

/** The cell's parameters as CSV bytes (",p1,…,pn"), formatted once per cell and worker. */
function paramsCsv(task: Task): Buffer {
  const key = JSON.stringify(task.params);
  let bytes = prefixes.get(key);
  if (bytes === undefined) {
    bytes = Buffer.from(',' + csvLine(Object.values(task.params)).slice(0, -1));
    if (prefixes.size > 1000) prefixes.clear();
    prefixes.set(key, bytes);
  }
  return bytes;
}

/** Bytes a CSV row took in the last batch of this worker (to size the next buffer). */
let lastRowBytes = 128;

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
  const csv = task.rows === 'csv' ? new CsvRows(task.count * lastRowBytes + 1024) : null;
  const middle = csv ? paramsCsv(task) : null;
  const block = task.rows === 'parquet' ? new RowBlock(task.count, experiment.columns.length) : null;
  let successes = 0;
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
    else if (csv) csv.line(task.cell, seed, streams.seedHi, streams.seedLo, middle!, row);
  }
  const record = encodeRecord(task.cell, task.firstPos, task.count, JSON.stringify(stats), block ? block.bytes : csv ? csv.bytes() : '', block !== null);
  if (csv && task.count > 0) lastRowBytes = Math.ceil(csv.length / task.count) + 16;
  return { record, successes, elapsedMs: performance.now() - started };
}
