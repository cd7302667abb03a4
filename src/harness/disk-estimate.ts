import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';
import { csvLine } from '../run-dir/csv.js';
import { JOURNAL, type RowMode } from '../run-dir/files.js';
import { cellSeed } from '../rng/streams.js';
import { freeBytes, formatBytes } from './disk.js';
import { runSeeds } from './run-seeds.js';
import { positionsInShard } from './scheduler.js';
import { rowBlockBytes } from './row-block.js';
import type { Shard } from './rundir.js';
import type { Trial } from '../trial/load.js';
import type { Cell } from '../trial/expand.js';

/** Bytes a trial's aggregates take per cell (state.json, summary.csv): small beside rows. */
const PER_CELL = 4096;

/**
 * trials.parquet's bytes a seed, an upper bound: the row's doubles and integers uncompressed,
 * seed_hex (16 characters + a 4-byte length) and the definition levels; parameters are
 * dictionary-encoded to a few bytes a row group.
 */
export function parquetBytesPerSeed(columns: number): number {
  return 16 + 20 + 9 * columns;
}

/**
 * Disk a run will write: with CSV rows, each seed's row twice (journal.bin, then trials.csv);
 * with parquet rows, the journal's binary row (row-block.ts) and trials.parquet's; without
 * rows, the aggregates only. `measured` replaces the column-count guess by one seed's
 * real record per trial.
 */
export function estimateDisk(plans: { trial: Trial; cells: Cell[] }[], modes: RowMode[], shard: Shard | null, measured = false, masterSeed = '1'): number {
  let total = 0;
  plans.forEach(({ trial, cells }, j) => {
    const seeds = positionsInShard(trial.seeds, shard?.index ?? 0, shard?.count ?? 1) * cells.length;
    total += cells.length * PER_CELL;
    if (modes[j] === 'none' || cells.length === 0) return;
    const columns = trial.experiment.columns.length;
    if (modes[j] === 'parquet') total += seeds * (rowBlockBytes(1, columns) + parquetBytesPerSeed(columns));
    else total += seeds * 2 * rowBytes(trial, cells[0], measured, masterSeed);
  });
  return total;
}

/** One row's bytes: measured from a seed, or guessed as 24 bytes a column (a double's longest form). */
function rowBytes(trial: Trial, cell: Cell, measured: boolean, masterSeed: string): number {
  if (measured) {
    const [hi, lo] = cellSeed(masterSeed, trial.experiment.name, cell.structuralKey);
    const r = runSeeds({ experiment: trial.experiment.name, cell: cell.index, params: cell.params, cellHi: hi, cellLo: lo, firstPos: trial.seeds, count: 1, shard: 0, stride: 1, rows: 'csv' });
    return r.record.length; // its aggregate rides along: an upper bound of the row
  }
  return 40 + csvLine(Object.values(cell.params)).length + 24 * trial.experiment.columns.length;
}

/**
 * Refuses to start a run whose rows cannot fit (issue 12): one line naming both figures
 * and `--rows none`. A cheap guess first; one measured seed per trial only when the guess
 * does not fit. Journals already written count as written.
 */
export function checkDiskSpace(dir: string, plans: { trial: Trial; cells: Cell[] }[], modes: RowMode[], shard: Shard | null): void {
  const free = freeBytes(dir);
  if (free === null) return;
  const written = plans.reduce((n, { trial }) => {
    const file = join(dir, trial.name, JOURNAL);
    return n + (existsSync(file) ? 2 * statSync(file).size : 0);
  }, 0);
  let need = estimateDisk(plans, modes, shard) - written;
  if (need <= free) return;
  need = estimateDisk(plans, modes, shard, true) - written;
  if (need <= free) return;
  throw new UserError(`${dir}: this run needs about ${formatBytes(need)} of disk for its per-seed rows, and ${formatBytes(free)} is free; use --rows none (aggregates only: summary, quantiles and report stay exact), fewer --seeds, or another --out`);
}
