import type { Cell } from '../experiments/types.js';

/**
 * A batch's rows as binary columns (rows "parquet", issue 12): what a worker puts in the
 * journal record so that the main thread never formats or parses a seed. For `count` seeds
 * and `m` experiment columns, little-endian:
 *
 *   count × u32  high half of each seed's derived 64-bit seed (the `seed_hex` column)
 *   count × u32  low half
 *   m × count × f64  the experiment's columns, column after column; NaN for "none"
 *
 * 8 + 8·m bytes a seed (weight-lemma: 56). The seed index is not stored: the record header
 * gives the first position, the trial's shard and stride the rest.
 */
export class RowBlock {
  readonly bytes: Uint8Array;
  readonly hexHi: Uint32Array;
  readonly hexLo: Uint32Array;
  /** Column c of row j at `values[c·count + j]`. */
  readonly values: Float64Array;

  constructor(readonly count: number, readonly columns: number, bytes?: Uint8Array) {
    const size = rowBlockBytes(count, columns);
    this.bytes = bytes ?? new Uint8Array(size);
    if (this.bytes.byteLength !== size) throw new Error(`a row block of ${count} seeds × ${columns} columns has ${size} bytes, not ${this.bytes.byteLength}`);
    if (this.bytes.byteOffset % 8 !== 0) throw new Error('a row block must start at a multiple of 8 bytes');
    const { buffer, byteOffset } = this.bytes;
    this.hexHi = new Uint32Array(buffer, byteOffset, count);
    this.hexLo = new Uint32Array(buffer, byteOffset + 4 * count, count);
    this.values = new Float64Array(buffer, byteOffset + 8 * count, columns * count);
  }

  /** Stores row j: its derived seed and the experiment's values (null and NaN both mean "none"). */
  set(j: number, seedHi: number, seedLo: number, row: Cell[]): void {
    this.hexHi[j] = seedHi;
    this.hexLo[j] = seedLo;
    const count = this.count;
    for (let c = 0; c < row.length; c++) {
      const value = row[c];
      this.values[c * count + j] = value === null ? NaN : value;
    }
  }
}

export function rowBlockBytes(count: number, columns: number): number {
  return count * (8 + 8 * columns);
}
