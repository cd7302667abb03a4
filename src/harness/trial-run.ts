import { join } from 'node:path';
import { existsSync, openSync, closeSync, writeSync, renameSync, statSync, fsyncSync } from 'node:fs';
import type { Experiment } from '../experiments/types.js';
import { statFields, newCellStats } from '../experiments/aggregate.js';
import { CellStats, type CellStatsJson } from '../stats/cell-stats.js';
import type { Cell } from '../trial/expand.js';
import { errors } from '../errors.js';
import { JOURNAL, STATE, TRIALS_CSV, TRIALS_PARQUET, type RowMode } from '../run-dir/files.js';
import { readState, writeState, type TrialState, type CellState } from '../run-dir/state.js';
import { trialsHeader } from '../run-dir/csv.js';
import { Journal, type JournalIdentity } from './journal.js';
import { RecordIndex, JournalReader } from './journal-rows.js';
import { RowBlock, rowBlockBytes } from './row-block.js';
import { TrialsParquet } from '../run-dir/trials-parquet.js';
import { DoneSet } from './done-set.js';
import { RECORD_HEADER, decodeHeader } from './record.js';
import { markBatch, positionsInShard, stopState, type CellWork } from './scheduler.js';
import { cellSeed } from '../rng/streams.js';
import { DiskFullError } from './disk.js';

export interface TrialSetup {
  index: number;
  name: string;
  experiment: Experiment;
  cells: Cell[];
  seeds: number;
  confidence: number;
  stop: 'decided' | 'none';
  rows: RowMode;
}

// tests shorten it (LTH_TEST_CHECKPOINT_MS) so that kills land around checkpoints and compactions
const CHECKPOINT_MS = process.env.LTH_TEST_CHECKPOINT_MS ? Number(process.env.LTH_TEST_CHECKPOINT_MS) : 5000;
const CHECKPOINT_BYTES = 256 << 20;

/**
 * One trial of a run as the coordinator holds it (issue 12): per cell the done positions and
 * the streaming aggregate, the journal, the checkpoint (state.json) and — with per-seed rows —
 * the index of where each batch's rows are. Memory grows with cells, batches and distinct
 * histogram values, never with the seeds' rows.
 */
export class TrialRun {
  readonly dir: string;
  readonly work: CellWork[];
  readonly stats: CellStats[];
  journal!: Journal;
  private readonly index = new RecordIndex();
  private lastCheckpoint = Date.now();
  private bytesAtCheckpoint = 0;

  constructor(readonly setup: TrialSetup, runDir: string, masterSeed: string, readonly shard: { index: number; count: number }, private readonly diskLimit?: number) {
    this.dir = join(runDir, setup.name);
    const positions = positionsInShard(setup.seeds, shard.index, shard.count);
    this.work = setup.cells.map((cell): CellWork => {
      const [cellHi, cellLo] = cellSeed(masterSeed, setup.experiment.name, cell.structuralKey);
      return {
        trial: setup.index, trialName: setup.name, experiment: setup.experiment, cell: cell.index, params: cell.params, cellHi, cellLo,
        rows: setup.rows, seeds: setup.seeds, shard: shard.index, stride: shard.count, positions, done: new DoneSet(), cursor: 0,
        stop: setup.stop === 'decided' ? stopState(setup.seeds, 1 - (cell.params.delta as number), setup.confidence) : null,
        finished: false,
      };
    });
    this.stats = setup.cells.map(() => newCellStats(setup.experiment));
  }

  get identity(): JournalIdentity {
    const e = this.setup.experiment;
    return { experiment: e.name, version: e.version, columns: e.columns.map((c) => c.name), rows: this.setup.rows };
  }

  get stateFile(): string {
    return join(this.dir, STATE);
  }

  get journalFile(): string {
    return join(this.dir, JOURNAL);
  }

  /** Loads the checkpoint and replays the journal after it, validating every record. */
  open(): void {
    const state = readState(this.stateFile);
    if (state) this.loadState(state);
    this.journal = Journal.open(this.journalFile, {
      identity: this.identity,
      checkpoint: state ? { epoch: state.epoch, bytes: state.journal_bytes } : null,
      diskLimit: this.diskLimit,
      onCovered: (header, offset) => {
        if (this.setup.rows !== 'none') this.index.push(header.cell, header.firstPos, offset);
      },
      onReplay: (record) => {
        const where = `record ${record.number} (byte ${record.offset})`;
        let json: CellStatsJson;
        try {
          json = JSON.parse(record.stats) as CellStatsJson;
        } catch {
          throw errors.corruptJournal(this.journalFile, record.number, `${where}: its aggregate is not JSON`);
        }
        const problem = this.accept(record.cell, record.firstPos, record.count, json, record.offset);
        if (problem) throw errors.corruptJournal(this.journalFile, record.number, `${where}: ${problem}`);
      },
    });
    this.bytesAtCheckpoint = this.journal.bytes;
  }

  private loadState(state: TrialState): void {
    const file = this.stateFile;
    if (state.format !== 1 || state.trial !== this.setup.name || state.rows !== this.setup.rows) {
      throw errors.corruptState(file, `belongs to trial ${state.trial} with rows "${state.rows}", not ${this.setup.name} with "${this.setup.rows}"`);
    }
    if (state.shard.index !== this.shard.index || state.shard.count !== this.shard.count) throw errors.corruptState(file, 'belongs to another shard');
    if (state.merged) throw errors.corruptState(file, 'is the result of lth merge and cannot be extended; extend the shards and merge again');
    if (state.cells.length !== this.work.length) throw errors.corruptState(file, `has ${state.cells.length} cells, the trial ${this.work.length}`);
    const fields = statFields(this.setup.experiment);
    state.cells.forEach((cell, c) => {
      const done = DoneSet.fromJSON(cell.done);
      if (!done) throw errors.corruptState(file, `cell ${c}: done seeds are malformed`);
      let stats: CellStats;
      try {
        stats = CellStats.fromJSON(fields, cell.stats);
      } catch (e) {
        throw errors.corruptState(file, `cell ${c}: ${(e as Error).message}`);
      }
      if (stats.seeds !== done.size) throw errors.corruptState(file, `cell ${c}: ${stats.seeds} seeds aggregated, ${done.size} done`);
      const work = this.work[c];
      for (const [a, b] of done.toJSON()) work.done.add(a, b - a);
      if (work.stop) {
        const problem = restoreBuckets(work, cell.buckets, done.size, stats);
        if (problem) throw errors.corruptState(file, `cell ${c}: ${problem}`);
      }
      this.stats[c].merge(stats);
    });
  }

  /**
   * Validates one batch (cell, positions, duplicates, aggregate) and counts it. Returns a reason
   * when it does not fit this trial; nothing is counted then.
   */
  accept(cell: number, firstPos: number, count: number, json: CellStatsJson, offset: number): string | null {
    if (!Number.isInteger(cell) || cell < 0 || cell >= this.work.length) return `cell ${cell} is not in [0, ${this.work.length - 1}]`;
    let stats: CellStats;
    try {
      stats = CellStats.fromJSON(statFields(this.setup.experiment), json);
    } catch (e) {
      return (e as Error).message;
    }
    if (stats.seeds !== count) return `aggregate holds ${stats.seeds} seeds, the record ${count}`;
    const problem = checkColumns(this.setup.experiment, stats);
    if (problem) return problem;
    const successes = stats.count('success') > 0 ? stats.sum('success') : 0;
    const refused = markBatch(this.work[cell], firstPos, count, successes);
    if (refused) return refused;
    this.stats[cell].merge(stats);
    if (this.setup.rows !== 'none') this.index.push(cell, firstPos, offset);
    return null;
  }

  /** Appends a finished batch's record and counts it (the live path: the worker computed it). */
  append(record: Uint8Array): void {
    const offset = this.journal.bytes;
    this.journal.append(record);
    const buffer = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
    const header = decodeHeader(buffer, 0)!;
    const json = JSON.parse(buffer.toString('utf8', RECORD_HEADER, RECORD_HEADER + header.statsBytes)) as CellStatsJson;
    const problem = this.accept(header.cell, header.firstPos, header.count, json, offset);
    if (problem) throw new Error(`internal: a worker's batch was refused (${problem})`);
  }

  /** Writes the checkpoint when enough time or bytes passed (or `force`); compacts the journal with --rows none. */
  maybeCheckpoint(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastCheckpoint < CHECKPOINT_MS && this.journal.bytes - this.bytesAtCheckpoint < CHECKPOINT_BYTES) return;
    this.journal.sync();
    const compact = this.setup.rows === 'none' && this.journal.bytes > this.journal.headerBytes;
    const epoch = this.journal.currentEpoch + (compact ? 1 : 0);
    try {
      writeState(this.stateFile, this.stateSnapshot(epoch, compact ? 0 : this.journal.bytes));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') throw new DiskFullError(this.stateFile, 'ENOSPC');
      throw e;
    }
    if (compact) this.journal.rotate(epoch);
    this.lastCheckpoint = now;
    this.bytesAtCheckpoint = this.journal.bytes;
  }

  private stateSnapshot(epoch: number, journalBytes: number): TrialState {
    return {
      format: 1,
      trial: this.setup.name,
      rows: this.setup.rows,
      shard: this.shard,
      epoch,
      journal_bytes: journalBytes === 0 ? Buffer.byteLength(Journal.headerLine(this.identity, epoch)) : journalBytes,
      merged: false,
      cells: this.work.map((w, c) => ({
        done: w.done.toJSON(),
        stats: this.stats[c].toJSON(),
        ...(w.stop ? { buckets: { starts: w.stop.checkpoints.map((_, j) => (j > 0 ? w.stop!.checkpoints[j - 1] : 0)), done: Array.from(w.stop.bucketDone), successes: Array.from(w.stop.bucketSuccesses) } } : {}),
      })),
    };
  }

  /** The per-seed rows file of the trial's mode, from the journal (nothing with rows "none"). */
  writeRows(): void {
    if (this.setup.rows === 'csv') this.writeTrialsCsv();
    else if (this.setup.rows === 'parquet') this.writeTrialsParquet();
  }

  /**
   * trials.csv (rows "csv"): the batches' rows in (cell, seed) order, copied from the journal
   * record by record (each checksummed again), through a temporary file renamed at the end.
   */
  private writeTrialsCsv(): void {
    const file = join(this.dir, TRIALS_CSV);
    const source = new JournalReader(this.journalFile);
    const out = openSync(file + '.tmp', 'w');
    try {
      const paramNames = Object.keys(this.setup.cells[0]?.params ?? {});
      writeSync(out, trialsHeader(paramNames, this.setup.experiment.columns.map((c) => c.name)));
      let pending = Buffer.allocUnsafe(4 << 20), used = 0;
      const flush = () => {
        let done = 0;
        while (done < used) done += writeSync(out, pending, done, used - done);
        used = 0;
      };
      for (const i of this.index.sorted()) {
        const { rows } = source.read(this.index.offset[i]);
        if (used + rows.length > pending.length) flush();
        if (rows.length > pending.length) pending = Buffer.allocUnsafe(rows.length);
        rows.copy(pending, used);
        used += rows.length;
      }
      flush();
      fsyncSync(out);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') throw new DiskFullError(file, 'ENOSPC');
      throw e;
    } finally {
      closeSync(out);
      source.close();
    }
    renameSync(file + '.tmp', file);
  }

  /**
   * trials.parquet (rows "parquet"): the batches' binary columns in (cell, seed) order, read
   * from the journal one record at a time and written one bounded row group at a time.
   */
  private writeTrialsParquet(): void {
    const file = join(this.dir, TRIALS_PARQUET);
    const columns = this.setup.experiment.columns;
    const source = new JournalReader(this.journalFile);
    const out = new TrialsParquet(file, Object.keys(this.setup.cells[0]?.params ?? {}), columns);
    try {
      let cell = -1;
      for (const i of this.index.sorted()) {
        const offset = this.index.offset[i];
        const { header, rows } = source.read(offset);
        if (rows.length !== rowBlockBytes(header.count, columns.length) || rows.byteOffset % 8 !== 0) {
          throw errors.corruptJournal(this.journalFile, 0, `the record at byte ${offset} does not hold ${header.count} binary rows of ${columns.length} columns`);
        }
        if (header.cell !== cell) {
          cell = header.cell;
          out.beginCell(cell, this.setup.cells[cell].params);
        }
        const block = new RowBlock(header.count, columns.length, rows);
        out.addRows(this.shard.index + header.firstPos * this.shard.count, this.shard.count, block.hexHi, block.hexLo, block.values, header.count, 0, header.count);
      }
      out.finish();
    } catch (e) {
      out.abandon();
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') throw new DiskFullError(file, 'ENOSPC');
      throw e;
    } finally {
      source.close();
    }
  }

  /** Bytes of the per-seed rows file (null when there is none): a finished run whose file is unchanged is not rewritten. */
  rowsFileBytes(): number | null {
    if (this.setup.rows === 'none') return null;
    const file = join(this.dir, this.setup.rows === 'csv' ? TRIALS_CSV : TRIALS_PARQUET);
    return existsSync(file) ? statSync(file).size : null;
  }
}

/**
 * An early-stopped cell's per-checkpoint counts from its checkpoint. A larger --seeds adds
 * checkpoints past the old cap, and each old bucket lies inside one new bucket (the old ones
 * start at 64·2^j), so counts move to the bucket holding their start.
 */
function restoreBuckets(work: CellWork, buckets: CellState['buckets'], doneSeeds: number, stats: CellStats): string | null {
  const stop = work.stop!;
  if (!buckets || buckets.starts.length !== buckets.done.length || buckets.done.length !== buckets.successes.length) return 'early-stopping counts are missing';
  let seeds = 0, successes = 0;
  buckets.starts.forEach((start, j) => {
    let k = 0;
    while (k < stop.checkpoints.length - 1 && stop.checkpoints[k] <= start) k++;
    stop.bucketDone[k] += buckets.done[j];
    stop.bucketSuccesses[k] += buckets.successes[j];
    seeds += buckets.done[j];
    successes += buckets.successes[j];
  });
  const aggregated = stats.count('success') > 0 ? stats.sum('success') : 0;
  if (seeds !== doneSeeds || successes !== aggregated) return 'early-stopping counts disagree with the aggregate';
  return null;
}

/** Checks an aggregate against the experiment's column types (0/1, integers). */
function checkColumns(experiment: Experiment, stats: CellStats): string | null {
  for (const column of experiment.columns) {
    const min = stats.min(column.name), max = stats.max(column.name);
    if (min === null || max === null) continue;
    if (column.type === 'bool') {
      if (min < 0 || max > 1 || !Number.isInteger(stats.sum(column.name))) return `column ${column.name} holds values other than 0 and 1`;
    } else if (column.type === 'int') {
      if (!Number.isInteger(min) || !Number.isInteger(max)) return `column ${column.name} holds a non-integer`;
    }
    if (!Number.isFinite(min) || !Number.isFinite(max)) return `column ${column.name} holds a non-finite value`;
  }
  return null;
}
