import cliProgress from 'cli-progress';

export interface ProgressOptions {
  quiet: boolean;
  /** Seconds between log lines when stderr is not a TTY. */
  logEvery: number;
  total: number;
  alreadyDone: number;
  /** Worker threads (the ETA divides the remaining worker time by them). */
  threads?: number;
  /** Per cell (in the coordinator's work order): its trial and the seeds it still needs. Without it the ETA assumes every seed costs the same. */
  cells?: { trial: number; remaining: number }[];
}

/**
 * The remaining time of a run whose cells cost very different amounts a seed (an atlas
 * mixes 3 µs and 20 s seeds): each cell's remaining seeds times its own measured worker
 * time a seed, or its trial's average while the cell has not run yet; trials with no
 * timed cell at all are counted apart, so the ETA says it is a lower bound.
 */
export class CostModel {
  private readonly ms: Float64Array;
  private readonly seeds: Float64Array;
  private readonly remaining: Float64Array;
  private readonly trialOf: Int32Array;
  private readonly trials: number;

  constructor(cells: { trial: number; remaining: number }[]) {
    this.ms = new Float64Array(cells.length);
    this.seeds = new Float64Array(cells.length);
    this.remaining = Float64Array.from(cells.map((c) => c.remaining));
    this.trialOf = Int32Array.from(cells.map((c) => c.trial));
    this.trials = cells.reduce((n, c) => Math.max(n, c.trial + 1), 0);
  }

  observe(cell: number, seeds: number, ms: number): void {
    this.seeds[cell] += seeds;
    this.ms[cell] += ms;
    this.remaining[cell] = Math.max(0, this.remaining[cell] - seeds);
  }

  /** Seeds a cell no longer needs (decided early). */
  skip(cell: number, seeds: number): void {
    this.remaining[cell] = Math.max(0, this.remaining[cell] - seeds);
  }

  /** Remaining worker milliseconds, and how many trials with work left have no timed cell yet. */
  remainingMs(): { ms: number; untimedTrials: number } {
    const trialMs = new Float64Array(this.trials), trialSeeds = new Float64Array(this.trials);
    for (let c = 0; c < this.ms.length; c++) {
      trialMs[this.trialOf[c]] += this.ms[c];
      trialSeeds[this.trialOf[c]] += this.seeds[c];
    }
    let ms = 0;
    const untimed = new Set<number>();
    for (let c = 0; c < this.ms.length; c++) {
      if (this.remaining[c] === 0) continue;
      const t = this.trialOf[c];
      if (this.seeds[c] > 0) ms += (this.remaining[c] * this.ms[c]) / this.seeds[c];
      else if (trialSeeds[t] > 0) ms += (this.remaining[c] * trialMs[t]) / trialSeeds[t];
      else untimed.add(t);
    }
    return { ms, untimedTrials: untimed.size };
  }
}

/**
 * Progress on stderr: a bar with seeds done/total, seeds/s, ETA and the current cell
 * on a TTY; a log line every `logEvery` seconds otherwise (logs, Slurm). Silent with
 * --quiet. Rates count only seeds computed in this invocation.
 */
export class Progress {
  private done: number;
  private computed = 0;
  private readonly started = Date.now();
  private lastLog = Date.now();
  private bar: cliProgress.SingleBar | null = null;
  private current = '';
  private readonly cost: CostModel | null;

  constructor(private readonly options: ProgressOptions) {
    this.done = options.alreadyDone;
    this.cost = options.cells ? new CostModel(options.cells) : null;
    if (options.quiet) return;
    if (process.stderr.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          format: '{bar} {value}/{total} seeds | {rate} seeds/s | ETA {eta} | {cell}',
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(options.total, this.done, { rate: '0', cell: '', eta: '?' });
    }
  }

  /** A finished batch: `seeds` of the cell at `index` in the work order, `ms` of worker time. */
  add(seeds: number, cell: string, index?: number, ms?: number): void {
    this.done += seeds;
    this.computed += seeds;
    this.current = cell;
    if (this.cost && index !== undefined && ms !== undefined) this.cost.observe(index, seeds, ms);
    if (this.options.quiet) return;
    if (this.bar) {
      this.bar.update(this.done, { rate: this.rate().toFixed(0), cell, eta: this.eta() });
      return;
    }
    const now = Date.now();
    if ((now - this.lastLog) / 1000 >= this.options.logEvery) {
      this.lastLog = now;
      process.stderr.write(this.line() + '\n');
    }
  }

  /** Fewer seeds are needed than planned (an early-stopped cell was decided). */
  shrink(seeds: number, index?: number): void {
    this.options.total -= seeds;
    if (index !== undefined) this.cost?.skip(index, seeds);
    this.bar?.setTotal(this.options.total);
  }

  rate(): number {
    const seconds = (Date.now() - this.started) / 1000;
    return seconds > 0 ? this.computed / seconds : 0;
  }

  private line(): string {
    const { total } = this.options;
    const rate = this.rate();
    const percent = total > 0 ? ((100 * this.done) / total).toFixed(1) : '100.0';
    return `[lth] ${this.done}/${total} seeds (${percent}%), ${rate.toFixed(0)} seeds/s, ETA ${this.eta()}, ${this.current}`;
  }

  /** Remaining time: from each cell's own cost a seed when known (CostModel), else from the overall rate. */
  eta(): string {
    if (this.cost) {
      const { ms, untimedTrials } = this.cost.remainingMs();
      const seconds = ms / 1000 / Math.max(1, this.options.threads ?? 1);
      return untimedTrials > 0 ? `≥ ${formatDuration(seconds)} (+${untimedTrials} trial${untimedTrials > 1 ? 's' : ''} not timed yet)` : formatDuration(seconds);
    }
    const rate = this.rate();
    return formatDuration(rate > 0 ? (this.options.total - this.done) / rate : Infinity);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
