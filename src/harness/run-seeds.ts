import { experiments } from '../experiments/index.js';
import { Streams } from '../rng/streams.js';
import type { Task, TaskResult, SeedFailure } from './task.js';

/**
 * Runs a batch of seeds in the current thread and formats their journal lines.
 * Shared by the pool worker and by in-process callers (replay, calibration).
 */
export function runSeeds(task: Task): TaskResult {
  const started = performance.now();
  const experiment = experiments[task.experiment];
  const params = task.params;
  let lines = '';
  for (const seed of task.seeds) {
    const streams = Streams.forSeed(task.cellHi, task.cellLo, seed);
    let row;
    try {
      row = experiment.run(params, streams);
    } catch (e) {
      const failure: SeedFailure = { lth: 'seed-failure', seed, message: (e as Error)?.message ?? String(e), stack: (e as Error)?.stack };
      throw new Error(JSON.stringify(failure));
    }
    let line = task.cell + ',' + seed + ',' + streams.hex;
    for (let j = 0; j < row.length; j++) {
      const value = row[j];
      line += value === null || Number.isNaN(value) ? ',' : ',' + value;
    }
    lines += line + '\n';
  }
  return { lines, elapsedMs: performance.now() - started };
}
