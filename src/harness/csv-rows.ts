/**
 * trials.csv lines written straight into bytes by the worker (issue 12: CSV rows cost more
 * than a cheap seed). Integers are written digit by digit and the seed's hex from a table;
 * only non-integer doubles go through String(v) (JavaScript's shortest round-trip form, as
 * DESIGN.md requires). No per-line strings, so no garbage a line.
 */
const HEX = Buffer.from('0123456789abcdef');
const COMMA = 44, NEWLINE = 10, MINUS = 45, ZERO = 48;

export class CsvRows {
  private buffer: Buffer;
  length = 0;

  constructor(expectedBytes: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(256, expectedBytes));
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  /** One line: `cell,seed,seed_hex<middle>,v1,…,vn\n`; `middle` is the cell's ",params" bytes. */
  line(cell: number, seed: number, seedHi: number, seedLo: number, middle: Buffer, values: ArrayLike<number | null>): void {
    this.ensure(64 + middle.length + 26 * values.length);
    const b = this.buffer;
    this.integer(cell);
    b[this.length++] = COMMA;
    this.integer(seed);
    b[this.length++] = COMMA;
    this.hex32(seedHi);
    this.hex32(seedLo);
    this.length += middle.copy(b, this.length);
    for (let c = 0; c < values.length; c++) {
      b[this.length++] = COMMA;
      const v = values[c];
      if (v === null || Number.isNaN(v)) continue; // empty: "none"
      if (Number.isInteger(v) && Math.abs(v) < 1e15) this.integer(v);
      else this.length += b.write(String(v), this.length, 'latin1');
    }
    b[this.length++] = NEWLINE;
  }

  private integer(v: number): void {
    const b = this.buffer;
    if (v < 0) {
      b[this.length++] = MINUS;
      v = -v;
    }
    if (v < 10) {
      b[this.length++] = ZERO + v;
      return;
    }
    let digits = 0;
    for (let t = v; t >= 1; t = Math.floor(t / 10)) digits++;
    let at = this.length + digits;
    this.length = at;
    while (v >= 1) {
      const q = Math.floor(v / 10);
      b[--at] = ZERO + (v - q * 10);
      v = q;
    }
  }

  private hex32(x: number): void {
    const b = this.buffer;
    for (let shift = 28; shift >= 0; shift -= 4) b[this.length++] = HEX[(x >>> shift) & 15];
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
