import type { Experiment, Value } from '../experiments/types.js';
import type { Task } from './task.js';

/** One cell's remaining work: seed indices first..seeds−1 in steps of `stride` (the shard), minus those done. */
export interface CellWork {
  trial: number;
  trialName: string;
  experiment: Experiment;
  cell: number;
  params: Record<string, Value>;
  cellHi: number;
  cellLo: number;
  seeds: number;
  first: number;
  stride: number;
  done: Uint8Array; // bitset over seed indices
  /** Next seed index to consider. */
  cursor: number;
}

export function isDone(work: CellWork, seed: number): boolean {
  return (work.done[seed >>> 3] & (1 << (seed & 7))) !== 0;
}

export function markDone(work: CellWork, seed: number): void {
  if (seed < work.seeds) work.done[seed >>> 3] |= 1 << (seed & 7);
}

/** Seeds of the cell that belong to this shard and are not done yet. */
export function remaining(work: CellWork): number {
  let n = 0;
  for (let s = work.first; s < work.seeds; s += work.stride) if (!isDone(work, s)) n++;
  return n;
}

const TARGET_MS = 100; // a task should take 50–200 ms: pool overhead negligible, progress smooth
const FIRST_BATCH = 8;
const MAX_BATCH = 20000;

/**
 * Hands out tasks cell after cell. Batch sizes adapt to the measured cost per seed
 * of the cell (or are fixed with `fixedBatch`); results never depend on them,
 * because every seed's randomness depends only on its cell and index.
 */
export class Scheduler {
  private current = 0;
  private readonly msPerSeed = new Map<string, number>();

  constructor(private readonly work: CellWork[], private readonly fixedBatch?: number) {}

  next(): { task: Task; work: CellWork } | null {
    while (this.current < this.work.length) {
      const work = this.work[this.current];
      const size = this.batchSize(work);
      const seeds: number[] = [];
      while (work.cursor < work.seeds && seeds.length < size) {
        if (!isDone(work, work.cursor)) seeds.push(work.cursor);
        work.cursor += work.stride;
      }
      if (seeds.length > 0) {
        return {
          work,
          task: { experiment: work.experiment.name, cell: work.cell, params: work.params, cellHi: work.cellHi, cellLo: work.cellLo, seeds },
        };
      }
      this.current++;
    }
    return null;
  }

  /** Records a finished task's cost, to size the next batches of its cell. */
  observe(work: CellWork, seeds: number, elapsedMs: number): void {
    const key = `${work.trial}:${work.cell}`;
    const perSeed = Math.max(elapsedMs, 0.01) / seeds;
    const old = this.msPerSeed.get(key);
    this.msPerSeed.set(key, old === undefined ? perSeed : 0.5 * old + 0.5 * perSeed);
    this.msPerSeed.set(`${work.trial}:last`, this.msPerSeed.get(key)!);
  }

  private batchSize(work: CellWork): number {
    if (this.fixedBatch) return this.fixedBatch;
    const own = this.msPerSeed.get(`${work.trial}:${work.cell}`);
    if (own !== undefined) return Math.max(1, Math.min(MAX_BATCH, Math.round(TARGET_MS / own)));
    // a new cell may cost far more than the last one (larger k when scanning): start small
    const last = this.msPerSeed.get(`${work.trial}:last`);
    if (last === undefined) return FIRST_BATCH;
    return Math.max(1, Math.min(256, Math.round(TARGET_MS / last)));
  }
}
