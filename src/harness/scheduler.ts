import type { Experiment, Value } from '../experiments/types.js';
import type { RowMode } from '../run-dir/files.js';
import type { Task } from './task.js';
import { DoneSet } from './done-set.js';
import { checkpoints, decidedAt } from '../stats/sequential.js';

/**
 * Early stopping state of a cell (`--until-decided`): examined at checkpoints 64·2^j only.
 * Batches never straddle a checkpoint, so each batch's successes fall into one bucket
 * [c_{j−1}, c_j) and the prefix counts need no per-seed memory.
 */
export interface StopState {
  target: number;
  confidence: number;
  checkpoints: number[];
  /** Per bucket j = [c_{j−1}, c_j): seeds done and successes among them. */
  bucketDone: Float64Array;
  bucketSuccesses: Float64Array;
  /** Index into `checkpoints` of the prefix being filled. */
  next: number;
  decided: boolean;
  /** Successes in the complete buckets before `next`. */
  successes: number;
}

/** One cell's work: seed positions 0..positions−1 of the shard (seed = shard + position·stride), minus those done. */
export interface CellWork {
  trial: number;
  trialName: string;
  experiment: Experiment;
  cell: number;
  params: Record<string, Value>;
  cellHi: number;
  cellLo: number;
  rows: RowMode;
  /** Seeds per cell in the whole run (the cap of an early-stopped cell). */
  seeds: number;
  shard: number;
  stride: number;
  /** Positions in this shard: ⌈(seeds − shard)/stride⌉. */
  positions: number;
  done: DoneSet;
  /** Next position to consider (positions below it are done or in flight). */
  cursor: number;
  stop: StopState | null;
  finished: boolean;
}

export function positionsInShard(seeds: number, shard: number, stride: number): number {
  return Math.max(0, Math.ceil((seeds - shard) / stride));
}

/** Bucket of an early-stopped cell holding `position`. */
function bucketOf(stop: StopState, position: number): number {
  let lo = 0, hi = stop.checkpoints.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stop.checkpoints[mid] > position) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/**
 * Records a finished batch [firstPos, firstPos + count). Returns a reason when it cannot be
 * accepted (outside the cell, already done, or across a checkpoint of an early-stopped cell).
 */
export function markBatch(work: CellWork, firstPos: number, count: number, successes: number): string | null {
  if (!Number.isInteger(firstPos) || firstPos < 0 || !Number.isInteger(count) || count < 1 || firstPos + count > work.positions) {
    return `seeds ${firstPos}..${firstPos + count - 1} (positions) are outside the cell's ${work.positions}`;
  }
  if (work.stop) {
    const j = bucketOf(work.stop, firstPos);
    if (firstPos + count > work.stop.checkpoints[j]) return `batch at ${firstPos} crosses the checkpoint ${work.stop.checkpoints[j]}`;
    if (!work.done.add(firstPos, count)) return `seeds from ${firstPos} are recorded twice`;
    work.stop.bucketDone[j] += count;
    work.stop.bucketSuccesses[j] += successes;
    return null;
  }
  return work.done.add(firstPos, count) ? null : `seeds from ${firstPos} are recorded twice`;
}

/** Positions of the shard that are not done yet. */
export function remaining(work: CellWork): number {
  return work.positions - work.done.size;
}

const TARGET_MS = 100; // a task should take 50–200 ms: pool overhead negligible, progress smooth
const FIRST_BATCH = 8;
// the record of a batch is built in one string by the worker: 8192 cheap seeds take ≈ 15 ms
const MAX_BATCH = 8192;

/**
 * Hands out tasks cell after cell: runs of consecutive free positions, never across a done
 * seed (so records never interleave and sorted output is a sort of records, not of rows).
 * Batch sizes adapt to the measured cost per seed of the cell (or are fixed with
 * `fixedBatch`); results never depend on them, because every seed's randomness depends
 * only on its cell and index. A cell that stops early is scheduled one checkpoint prefix at
 * a time; while it waits for its prefix to complete, later cells are scheduled.
 */
export class Scheduler {
  private current = 0;
  private readonly msPerSeed = new Map<string, number>();

  constructor(
    private readonly work: CellWork[],
    private readonly fixedBatch?: number,
    /** Called when an early-stopped cell is decided, with the seeds it will not need. */
    private readonly onDecided: (work: CellWork, skipped: number) => void = () => {},
  ) {}

  next(): { task: Task; work: CellWork } | null {
    for (let i = this.current; i < this.work.length; i++) {
      const work = this.work[i];
      if (!work.finished) this.advance(work);
      if (work.finished) {
        if (i === this.current) this.current++;
        continue;
      }
      const limit = this.limit(work);
      const start = work.done.nextFree(work.cursor);
      if (start < limit) {
        const end = Math.min(start + this.batchSize(work), limit, work.done.nextDone(start));
        work.cursor = end;
        return {
          work,
          task: {
            experiment: work.experiment.name, cell: work.cell, params: work.params, cellHi: work.cellHi, cellLo: work.cellLo,
            firstPos: start, count: end - start, shard: work.shard, stride: work.stride, rows: work.rows,
          },
        };
      }
      work.cursor = Math.max(work.cursor, start);
      // nothing left below the limit: this cell waits for its prefix (or is finished next time)
    }
    return null;
  }

  /** True when some cell still has work (possibly waiting for in-flight seeds). */
  get pending(): boolean {
    return this.work.some((w) => !w.finished);
  }

  private limit(work: CellWork): number {
    return work.stop ? work.stop.checkpoints[work.stop.next] : work.positions;
  }

  /** Moves a cell past complete checkpoints (deciding it when its sequence excludes 1 − δ) and marks it finished. */
  private advance(work: CellWork): void {
    advanceCell(work, this.onDecided);
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

/** Advances an early-stopped cell over its complete checkpoints; marks any cell finished when nothing is left. */
export function advanceCell(work: CellWork, onDecided: (work: CellWork, skipped: number) => void = () => {}): void {
  const stop = work.stop;
  if (!stop) {
    // everything handed out (in flight or done)
    if (work.done.nextFree(work.cursor) >= work.positions) work.finished = true;
    return;
  }
  while (!work.finished) {
    const j = stop.next;
    const c = stop.checkpoints[j];
    const size = c - (j > 0 ? stop.checkpoints[j - 1] : 0);
    if (stop.bucketDone[j] < size) return; // prefix not complete yet
    stop.successes += stop.bucketSuccesses[j];
    if (c === work.seeds || decidedAt(stop.successes, c, stop.target, stop.confidence)) {
      stop.decided = c < work.seeds;
      work.finished = true;
      const skipped = work.positions - work.done.size;
      if (skipped > 0) onDecided(work, skipped);
      return;
    }
    stop.next++;
  }
}

export function stopState(seeds: number, target: number, confidence: number): StopState {
  const cps = checkpoints(seeds);
  return { target, confidence, checkpoints: cps, bucketDone: new Float64Array(cps.length), bucketSuccesses: new Float64Array(cps.length), next: 0, decided: false, successes: 0 };
}
