/**
 * An exact floating-point accumulator (Shewchuk 1997, "Adaptive precision floating-point
 * arithmetic"; the algorithm of Python's math.fsum). The running sum is held exactly as
 * a list of non-overlapping partials, so the final correctly rounded value does not
 * depend on the order in which values were added, nor on how sub-sums were split and
 * merged: threads, batch sizes, kills and shards give the same bytes (issue 12).
 *
 * Non-finite inputs are tracked apart (the sum is then ±Infinity or NaN, as IEEE would give).
 */
export class ExactSum {
  /** Non-overlapping partials, increasing in magnitude. */
  partials: number[] = [];
  private special = 0; // sum of non-finite inputs (Infinity, -Infinity or NaN), 0 when none

  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.special += x;
      return;
    }
    const p = this.partials;
    // fast path (counts, 0/1 columns, integer widths): one partial and an exact two-sum
    if (p.length <= 1) {
      const y = p.length === 1 ? p[0] : 0;
      const hi = x + y;
      const lo = Math.abs(x) >= Math.abs(y) ? y - (hi - x) : x - (hi - y);
      if (lo === 0 && Number.isFinite(hi)) {
        if (hi !== 0) p[0] = hi;
        else p.length = 0;
        return;
      }
    }
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) { const t = x; x = y; y = t; }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (x !== 0) p[i++] = x;
    if (p.length !== i) p.length = i; // shrinking an array's length is slow in V8: only when it changes
    // an overflow of partials to ±Infinity: keep IEEE's answer
    if (!Number.isFinite(x)) { p.length = 0; this.special += x; }
  }

  merge(other: ExactSum): void {
    for (const x of other.partials) this.add(x);
    if (other.special !== 0 || Number.isNaN(other.special)) this.special += other.special;
  }

  /** The correctly rounded (half-even) value of the exact sum. */
  value(): number {
    if (this.special !== 0 || Number.isNaN(this.special)) return this.special;
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // half-even correction (math.fsum): if the rest has the same sign as lo, the rounding of hi may be off by one ulp
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
    return hi;
  }

  /** Plain JSON form: the partials (doubles round-trip through JSON) and the non-finite part. */
  toJSON(): number[] | { partials: number[]; special: string } {
    if (this.special === 0 && !Number.isNaN(this.special)) return this.partials.slice();
    return { partials: this.partials.slice(), special: String(this.special) };
  }

  static fromJSON(json: number[] | { partials: number[]; special: string }): ExactSum {
    const s = new ExactSum();
    if (Array.isArray(json)) {
      for (const x of json) s.add(x);
    } else {
      for (const x of json.partials) s.add(x);
      s.special = Number(json.special);
    }
    return s;
  }
}
