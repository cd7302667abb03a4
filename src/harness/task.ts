import type { Value } from '../experiments/types.js';
import type { RowMode } from '../run-dir/files.js';

/** One unit of pool work: consecutive seeds of one cell (DESIGN.md "Data flow"). */
export interface Task {
  experiment: string;
  cell: number;
  params: Record<string, Value>;
  /** The cell's 64-bit seed hash (master seed, experiment, structural key). */
  cellHi: number;
  cellLo: number;
  /** Seeds run: shard + (firstPos + j)·stride for j < count. */
  firstPos: number;
  count: number;
  shard: number;
  stride: number;
  /** What the worker formats besides the aggregate. */
  rows: RowMode;
}

export interface TaskResult {
  /** The journal record of the batch (record.ts): aggregate and rows, checksummed. */
  record: Uint8Array;
  /** Successes in the batch (early stopping counts them by checkpoint). */
  successes: number;
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

export function seedAt(task: Pick<Task, 'shard' | 'stride'>, position: number): number {
  return task.shard + position * task.stride;
}
