import { existsSync } from 'node:fs';
import { UserError, errors } from '../errors.js';
import type { Experiment, Value } from '../experiments/types.js';
import { TrialsParquet } from '../run-dir/trials-parquet.js';
import { indexJournal, JournalReader, type RecordIndex } from './journal-rows.js';
import { RowBlock, rowBlockBytes } from './row-block.js';

/** One shard's finished journal: the file and the bytes its checkpoint covers. */
export interface ShardJournal {
  file: string;
  bytes: number;
}

/**
 * One shard's rows of a cell in seed order, read record by record from its journal
 * (seed = shard + position·count, DESIGN.md "Determinism").
 */
class ShardRows {
  private readonly reader: JournalReader;
  private readonly index: RecordIndex;
  private readonly order: Uint32Array;
  private next = 0; // into order
  block: RowBlock | null = null;
  row = 0;
  firstSeed = 0;

  constructor(private readonly journal: ShardJournal, private readonly shard: number, private readonly count: number, private readonly columns: number) {
    if (!existsSync(journal.file)) throw new UserError(`${journal.file}: missing; the shard's journal holds its rows for the merged trials.parquet`);
    this.index = indexJournal(journal.file, journal.bytes);
    this.order = this.index.sorted();
    this.reader = new JournalReader(journal.file);
  }

  /** The seed index of the next row of `cell`, loading its next record when needed (null: none left). */
  peek(cell: number): number | null {
    while (!this.block || this.row >= this.block.count) {
      if (this.next >= this.order.length || this.index.cell[this.order[this.next]] !== cell) return null;
      const offset = this.index.offset[this.order[this.next++]];
      const { header, rows } = this.reader.read(offset);
      if (rows.length !== rowBlockBytes(header.count, this.columns)) {
        throw errors.corruptJournal(this.journal.file, 0, `the record at byte ${offset} does not hold ${header.count} binary rows of ${this.columns} columns`);
      }
      this.block = new RowBlock(header.count, this.columns, rows);
      this.row = 0;
      this.firstSeed = this.shard + header.firstPos * this.count;
    }
    return this.firstSeed + this.row * this.count;
  }

  /** Skips the records of cells before `cell`. */
  seek(cell: number): void {
    this.block = null;
    while (this.next < this.order.length && this.index.cell[this.order[this.next]] < cell) this.next++;
  }

  close(): void {
    this.reader.close();
  }
}

/**
 * trials.parquet of `lth merge` from the shards' journals: seed s of a cell comes from
 * shard s mod N, so each cell's rows are the shards' rows taken in turn, written through
 * the same row groups as a one-machine run (byte-identical to it).
 */
export function mergeParquetRows(file: string, experiment: Experiment, cells: { params: Record<string, Value> }[], seeds: number, journals: ShardJournal[]): void {
  const columns = experiment.columns;
  const count = journals.length;
  const shards = journals.map((j, i) => new ShardRows(j, i, count, columns.length));
  const out = new TrialsParquet(file, Object.keys(cells[0]?.params ?? {}), columns);
  try {
    cells.forEach((cell, c) => {
      out.beginCell(c, cell.params);
      for (const s of shards) s.seek(c);
      for (let seed = 0; seed < seeds; seed++) {
        const shard = shards[seed % count];
        const at = shard.peek(c);
        if (at !== seed) throw new UserError(`${journals[seed % count].file}: cell ${c} has ${at === null ? 'no row' : `seed ${at}`} where seed ${seed} belongs; the shard's journal does not match its checkpoint`);
        const block = shard.block!;
        out.addRow(seed, block.hexHi, block.hexLo, block.values, block.count, shard.row++);
      }
    });
    out.finish();
  } catch (e) {
    out.abandon();
    throw e;
  } finally {
    shards.forEach((s) => s.close());
  }
}
