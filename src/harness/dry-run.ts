import { availableParallelism } from 'node:os';
import { loadPlans, defaultOut, rowModes, type RunOptions } from './coordinator.js';
import { freeBytes, formatBytes } from './disk.js';
import { runSeeds } from './run-seeds.js';
import { parquetBytesPerSeed } from './disk-estimate.js';
import { cellSeed } from '../rng/streams.js';
import { minSeedsForAbove } from '../stats/verdict.js';
import { firstCheckpointAbove } from '../stats/sequential.js';
import { formatDuration } from './progress.js';

export type DryRunOptions = Pick<RunOptions, 'trialFiles' | 'seeds' | 'threads' | 'out' | 'masterSeed' | 'shard' | 'untilDecided' | 'rows'> & {
  /** Wall-clock budget for the calibration seeds, in ms. */
  calibrationMs?: number;
};

/**
 * `lth run --dry-run`: the cells, seeds and structural keys a run would use, an
 * estimated time from a short calibration (a few seeds per cell, in-process), and a
 * warning for every cell whose seed count makes `above` impossible. Writes nothing.
 */
export function dryRun(options: DryRunOptions): string {
  const plans = loadPlans(options.trialFiles, options.seeds, options.untilDecided);
  const threads = options.threads ?? availableParallelism();
  const shard = options.shard ?? { index: 0, count: 1 };
  const budgetPerCell = (options.calibrationMs ?? 3000) / Math.max(1, plans.reduce((n, p) => n + p.cells.length, 0));
  const lines: string[] = [];
  let totalSeconds = 0, totalSeeds = 0, warnings = 0;
  lines.push(`dry run: ${plans.length} trial(s) -> ${options.out ?? defaultOut(plans.map((p) => p.trial))}, master seed ${options.masterSeed}, ${threads} thread(s)` +
    (options.shard ? `, shard ${shard.index}/${shard.count}` : ''));
  const out = options.out ?? defaultOut(plans.map((p) => p.trial));
  const modes = rowModes(plans, options.rows, out, false);
  let diskBytes = plans.reduce((n, p) => n + p.cells.length * 4096, 0);
  for (const [t, { trial, cells }] of plans.entries()) {
    const seedsInShard = Math.max(0, Math.ceil((trial.seeds - shard.index) / shard.count));
    lines.push('');
    lines.push(`${trial.name} (${trial.experiment.name} v${trial.experiment.version}, ${trial.file}): ${cells.length} cells × ${seedsInShard} seeds, rows "${modes[t]}"`);
    for (const cell of cells) {
      const [hi, lo] = cellSeed(options.masterSeed, trial.experiment.name, cell.structuralKey);
      // calibration: seeds from the end of the range, doubling until the cell's budget is used; the cost a
      // seed is the last (largest) batch's, after the JIT has compiled the hot path (cheap cells run
      // 100× faster than their first 256 seeds suggest)
      let seeds = 1, elapsed = 0, calibrated = 0, recordBytes = 0, perSeedMs = 0;
      while (elapsed < budgetPerCell && calibrated < 1 << 22) {
        const r = runSeeds({ experiment: trial.experiment.name, cell: cell.index, params: cell.params, cellHi: hi, cellLo: lo,
          firstPos: trial.seeds + calibrated, count: seeds, shard: 0, stride: 1, rows: modes[t] });
        elapsed += r.elapsedMs;
        recordBytes += r.record.length;
        calibrated += seeds;
        perSeedMs = r.elapsedMs / seeds;
        seeds *= 2;
      }
      // with CSV rows each seed's row is written twice (journal, then trials.csv); the aggregates ride along.
      // With parquet rows the journal holds binary columns, then trials.parquet the typed columns.
      const perSeed = recordBytes / calibrated;
      diskBytes += modes[t] === 'csv' ? 2 * perSeed * seedsInShard : modes[t] === 'parquet' ? (perSeed + parquetBytesPerSeed(trial.experiment.columns.length)) * seedsInShard : 0;
      const seconds = (perSeedMs * seedsInShard) / 1000;
      totalSeconds += seconds;
      totalSeeds += seedsInShard;
      const delta = cell.params.delta as number;
      // early-stopped cells use the (wider) confidence sequence at checkpoints 64·2^j
      const need = trial.stop === 'decided' ? firstCheckpointAbove(delta, trial.confidence) ?? Infinity : minSeedsForAbove(delta, trial.confidence);
      const warning = seedsInShard < need ? `  WARNING: ${seedsInShard} seeds cannot give "above" at δ = ${delta} (needs ≥ ${need})` : '';
      if (warning) warnings++;
      lines.push(`  cell ${cell.index}: ${JSON.stringify(cell.given)} structural ${cell.structuralKey} ~${perSeedMs.toPrecision(2)} ms/seed${warning}`);
    }
  }
  lines.push('');
  lines.push(`total: ${totalSeeds} seeds, estimated ${formatDuration(totalSeconds / threads)} on ${threads} thread(s)` +
    (warnings ? `; ${warnings} cell(s) cannot reach "above" (see lth plan)` : ''));
  const free = freeBytes(out);
  lines.push(`disk: about ${formatBytes(diskBytes)} in ${out}` + (free === null ? '' : ` (${formatBytes(free)} free${diskBytes > free ? ': does NOT fit, lth run will refuse; use --rows none' : ''})`));
  return lines.join('\n') + '\n';
}

