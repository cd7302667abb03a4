import { openSync, writeSync, closeSync, fsyncSync, renameSync } from 'node:fs';
import { ParquetWriter, ByteWriter, type SchemaElement, type ColumnSource } from 'hyparquet-writer';
import type { ColumnSpec as Column, Value } from '../experiments/types.js';
import { hex64 } from '../rng/splitmix64.js';
import { paramColumn } from './csv.js';

/**
 * Rows of one row group at most (issue 12: a cell of 10^8 seeds is split into row groups
 * of bounded size). 2^17 rows of weight-lemma are ≈ 5 MB in the file and ≈ 40 MB while
 * encoded. A row group never spans two cells, and its boundaries depend only on the cell's
 * row count: the bytes do not depend on threads, batch sizes, kills or shards.
 */
export const ROW_GROUP_ROWS = process.env.LTH_TEST_ROW_GROUP_ROWS ? Number(process.env.LTH_TEST_ROW_GROUP_ROWS) : 1 << 17; // tests shrink it

/**
 * trials.parquet (DESIGN.md "Run directory"): the columns of trials.csv, typed. `cell` and
 * `seed_index` INT64, `seed_hex` and every parameter UTF8 (the text trials.csv holds), the
 * experiment's columns INT64 when integer or 0/1 and DOUBLE otherwise, null for "none".
 * Rows are added in (cell, seed) order and written one row group at a time through a fixed
 * buffer, into a temporary file renamed at the end (hyparquet-writer, bench/RESULTS.md).
 */
export class TrialsParquet {
  private readonly fd: number;
  private readonly writer: ByteWriter;
  private readonly parquet: ParquetWriter;
  private readonly seed = new Float64Array(ROW_GROUP_ROWS);
  private readonly hexHi = new Uint32Array(ROW_GROUP_ROWS);
  private readonly hexLo = new Uint32Array(ROW_GROUP_ROWS);
  private readonly values: Float64Array;
  private used = 0;
  private cell = -1;
  private params: (string | null)[] = [];

  constructor(readonly file: string, private readonly paramNames: string[], private readonly columns: Column[]) {
    this.values = new Float64Array(ROW_GROUP_ROWS * columns.length);
    this.fd = openSync(file + '.tmp', 'w');
    this.writer = new ByteWriter(4 << 20);
    const flush = () => {
      const bytes = new Uint8Array(this.writer.buffer, 0, this.writer.index);
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
      this.writer.index = 0;
    };
    Object.assign(this.writer, { flush, finish: flush }); // called after each row group and at the end
    this.parquet = new ParquetWriter({ writer: this.writer, schema: schema(paramNames, columns), createdBy: 'lottery-harness' });
  }

  /** Starts the rows of a cell (cells come in increasing order). */
  beginCell(cell: number, params: Record<string, Value>): void {
    this.flushGroup();
    this.cell = cell;
    this.params = this.paramNames.map((name) => paramText(params[name]));
  }

  /**
   * Adds rows [from, from + n) of a row block of `count` rows (row-block.ts layout: column c
   * of row j at values[c·count + j]); row j has seed index firstSeed + (j − from)·step.
   */
  addRows(firstSeed: number, step: number, hexHi: Uint32Array, hexLo: Uint32Array, values: Float64Array, count: number, from: number, n: number): void {
    const m = this.columns.length;
    let j = from;
    while (j < from + n) {
      const take = Math.min(from + n - j, ROW_GROUP_ROWS - this.used);
      const at = this.used;
      for (let r = 0; r < take; r++) this.seed[at + r] = firstSeed + (j - from + r) * step;
      this.hexHi.set(hexHi.subarray(j, j + take), at);
      this.hexLo.set(hexLo.subarray(j, j + take), at);
      for (let c = 0; c < m; c++) this.values.set(values.subarray(c * count + j, c * count + j + take), c * ROW_GROUP_ROWS + at);
      this.used += take;
      j += take;
      if (this.used === ROW_GROUP_ROWS) this.flushGroup();
    }
  }

  /** Adds row j of a row block of `count` rows, with seed index `seed` (lth merge interleaves shards row by row). */
  addRow(seed: number, hexHi: Uint32Array, hexLo: Uint32Array, values: Float64Array, count: number, j: number): void {
    const at = this.used;
    this.seed[at] = seed;
    this.hexHi[at] = hexHi[j];
    this.hexLo[at] = hexLo[j];
    for (let c = 0; c < this.columns.length; c++) this.values[c * ROW_GROUP_ROWS + at] = values[c * count + j];
    if (++this.used === ROW_GROUP_ROWS) this.flushGroup();
  }

  /** Writes the footer, syncs and renames the file into place. */
  finish(): void {
    try {
      this.flushGroup();
      this.parquet.finish();
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
    renameSync(this.file + '.tmp', this.file);
  }

  /** Leaves the temporary file behind after an error (the next run rewrites it). */
  abandon(): void {
    try { closeSync(this.fd); } catch { /* already closed */ }
  }

  private flushGroup(): void {
    const n = this.used;
    if (n === 0) return;
    const seedIndex = new BigInt64Array(n);
    const hex: string[] = new Array(n);
    for (let r = 0; r < n; r++) {
      seedIndex[r] = BigInt(this.seed[r]);
      hex[r] = hex64(this.hexHi[r], this.hexLo[r]);
    }
    const data: ColumnSource[] = [
      { name: 'cell', data: new BigInt64Array(n).fill(BigInt(this.cell)) },
      { name: 'seed_index', data: seedIndex },
      { name: 'seed_hex', data: hex, encoding: 'PLAIN' }, // distinct per row: no dictionary to try
      ...this.paramNames.map((name, p) => ({ name: paramColumn(name), data: new Array(n).fill(this.params[p]) })),
      ...this.columns.map((column, c) => ({ name: column.name, data: columnValues(this.values, c * ROW_GROUP_ROWS, n, isInteger(column)) })),
    ];
    this.parquet.write({ columnData: data, rowGroupSize: n });
    this.used = 0;
  }
}

function isInteger(column: Column): boolean {
  return column.type === 'int' || column.type === 'bool';
}

/** One column's values of a row group, null for "none" (NaN), bigint for INT64. */
function columnValues(values: Float64Array, start: number, n: number, integer: boolean): (number | bigint | null)[] {
  const out: (number | bigint | null)[] = new Array(n);
  if (integer) for (let r = 0; r < n; r++) { const v = values[start + r]; out[r] = v !== v ? null : BigInt(v); }
  else for (let r = 0; r < n; r++) { const v = values[start + r]; out[r] = v !== v ? null : v; }
  return out;
}

/** A parameter as trials.csv writes it: numbers in their shortest round-trip form, booleans 0/1. */
function paramText(value: Value | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

function schema(paramNames: string[], columns: Column[]): SchemaElement[] {
  const required = (name: string, type: 'INT64' | 'BYTE_ARRAY'): SchemaElement =>
    ({ name, type, repetition_type: 'REQUIRED', ...(type === 'BYTE_ARRAY' ? { converted_type: 'UTF8' } : {}) });
  return [
    { name: 'root', num_children: 3 + paramNames.length + columns.length },
    required('cell', 'INT64'),
    required('seed_index', 'INT64'),
    required('seed_hex', 'BYTE_ARRAY'),
    ...paramNames.map((name): SchemaElement => ({ name: paramColumn(name), type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' })),
    ...columns.map((column): SchemaElement => ({ name: column.name, type: isInteger(column) ? 'INT64' : 'DOUBLE', repetition_type: 'OPTIONAL' })),
  ];
}
