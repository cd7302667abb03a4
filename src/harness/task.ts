import type { Value } from '../experiments/types.js';

/** One unit of pool work: a batch of seeds of one cell (DESIGN.md "Data flow"). */
export interface Task {
  experiment: string;
  cell: number;
  params: Record<string, Value>;
  /** The cell's 64-bit seed hash (master seed, experiment, structural key). */
  cellHi: number;
  cellLo: number;
  /** Seed indices to run, ascending. */
  seeds: number[];
}

export interface TaskResult {
  /** Journal lines, each ending in '\n', in the order of `seeds`. */
  lines: string;
  /** Worker-side compute time, used only to size later batches (never written to results). */
  elapsedMs: number;
}

/** What a worker throws when an experiment fails on a seed, so the coordinator can name it. */
export interface SeedFailure {
  lth: 'seed-failure';
  seed: number;
  message: string;
  stack?: string;
}
