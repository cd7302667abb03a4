import cliProgress from 'cli-progress';

export interface ProgressOptions {
  quiet: boolean;
  /** Seconds between log lines when stderr is not a TTY. */
  logEvery: number;
  total: number;
  alreadyDone: number;
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

  constructor(private readonly options: ProgressOptions) {
    this.done = options.alreadyDone;
    if (options.quiet) return;
    if (process.stderr.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          format: '{bar} {value}/{total} seeds | {rate} seeds/s | ETA {eta_formatted} | {cell}',
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(options.total, this.done, { rate: '0', cell: '' });
    }
  }

  add(seeds: number, cell: string): void {
    this.done += seeds;
    this.computed += seeds;
    this.current = cell;
    if (this.options.quiet) return;
    if (this.bar) {
      this.bar.update(this.done, { rate: this.rate().toFixed(0), cell });
      return;
    }
    const now = Date.now();
    if ((now - this.lastLog) / 1000 >= this.options.logEvery) {
      this.lastLog = now;
      process.stderr.write(this.line() + '\n');
    }
  }

  /** Fewer seeds are needed than planned (an early-stopped cell was decided). */
  shrink(seeds: number): void {
    this.options.total -= seeds;
    this.bar?.setTotal(this.options.total);
  }

  rate(): number {
    const seconds = (Date.now() - this.started) / 1000;
    return seconds > 0 ? this.computed / seconds : 0;
  }

  private line(): string {
    const { total } = this.options;
    const rate = this.rate();
    const eta = rate > 0 ? (total - this.done) / rate : Infinity;
    const percent = total > 0 ? ((100 * this.done) / total).toFixed(1) : '100.0';
    return `[lth] ${this.done}/${total} seeds (${percent}%), ${rate.toFixed(0)} seeds/s, ETA ${formatDuration(eta)}, ${this.current}`;
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
