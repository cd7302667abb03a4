import type { Experiment, Value } from '../experiments/types.js';
import type { Task } from './task.js';
import { checkpoints, decidedAt } from '../stats/sequential.js';

/** Early stopping state of a cell (`--until-decided`): examined at checkpoints 64·2^j only. */
export interface StopState {
  target: number;
  confidence: number;
  /** Success bit per seed index (valid where `done` is set). */
  success: Uint8Array;
  checkpoints: number[];
  /** Index into `checkpoints` of the prefix being filled. */
  next: number;
  decided: boolean;
  /** Seeds 0..scanned−1 are all done, with `successes` successes among them (incremental prefix scan). */
  scanned: number;
  successes: number;
}

/** One cell's remaining work: seed indices first..limit−1 in steps of `stride` (the shard), minus those done. */
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
  /** Early stopping, or null to run every seed. */
  stop: StopState | null;
  finished: boolean;
}

export function isDone(work: CellWork, seed: number): boolean {
  return (work.done[seed >>> 3] & (1 << (seed & 7))) !== 0;
}

export function markDone(work: CellWork, seed: number, success: boolean): void {
  if (seed >= work.seeds) return;
  work.done[seed >>> 3] |= 1 << (seed & 7);
  if (work.stop && success) work.stop.success[seed >>> 3] |= 1 << (seed & 7);
}

/** Seeds of the cell that belong to this shard and are not done yet. */
export function remaining(work: CellWork): number {
  let n = 0;
  for (let s = work.first; s < work.seeds; s += work.stride) if (!isDone(work, s)) n++;
  return n;
}

const TARGET_MS = 100; // a task should take 50–200 ms: pool overhead negligible, progress smooth
const FIRST_BATCH = 8;
// above ≈ 8000 seeds a batch, the worker's thousands of short-lived journal-line strings start to
// cost (2.7 µs vs 1.9 µs a weight-lemma seed at 20 000); 8192 cheap seeds still take ≈ 15 ms
const MAX_BATCH = 8192;

/**
 * Hands out tasks cell after cell. Batch sizes adapt to the measured cost per seed
 * of the cell (or are fixed with `fixedBatch`); results never depend on them,
 * because every seed's randomness depends only on its cell and index. A cell that
 * stops early is scheduled one checkpoint prefix at a time; while it waits for its
 * prefix to complete, later cells are scheduled.
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
      const size = this.batchSize(work);
      const seeds: number[] = [];
      while (work.cursor < limit && seeds.length < size) {
        if (!isDone(work, work.cursor)) seeds.push(work.cursor);
        work.cursor += work.stride;
      }
      if (seeds.length > 0) {
        return {
          work,
          task: { experiment: work.experiment.name, cell: work.cell, params: work.params, cellHi: work.cellHi, cellLo: work.cellLo, seeds },
        };
      }
      // nothing left below the limit: this cell waits for its prefix (or is finished next time)
    }
    return null;
  }

  /** True when some cell still has work (possibly waiting for in-flight seeds). */
  get pending(): boolean {
    return this.work.some((w) => !w.finished);
  }

  private limit(work: CellWork): number {
    return work.stop ? work.stop.checkpoints[work.stop.next] : work.seeds;
  }

  /** Moves a cell past complete checkpoints (deciding it when its sequence excludes 1 − δ) and marks it finished. */
  private advance(work: CellWork): void {
    const stop = work.stop;
    if (!stop) {
      if (work.cursor >= work.seeds) work.finished = true;
      return;
    }
    while (!work.finished) {
      const c = stop.checkpoints[stop.next];
      for (; stop.scanned < c; stop.scanned++) {
        const s = stop.scanned;
        if (!isDone(work, s)) return; // prefix not complete yet
        if (stop.success[s >>> 3] & (1 << (s & 7))) stop.successes++;
      }
      if (c === work.seeds || decidedAt(stop.successes, c, stop.target, stop.confidence)) {
        stop.decided = c < work.seeds;
        work.finished = true;
        let skipped = 0;
        for (let s = c; s < work.seeds; s++) if (!isDone(work, s)) skipped++;
        if (skipped > 0) this.onDecided(work, skipped);
        return;
      }
      stop.next++;
    }
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

export function stopState(seeds: number, target: number, confidence: number): StopState {
  return { target, confidence, success: new Uint8Array(Math.ceil(seeds / 8)), checkpoints: checkpoints(seeds), next: 0, decided: false, scanned: 0, successes: 0 };
}
