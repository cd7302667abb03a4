/**
 * An exact histogram of values (value → count): the order statistics of a column in
 * memory that grows with its distinct values, not with the seeds. Ranks are 1-based,
 * as in order-statistic notation X_(r). Non-finite values are kept (+∞ stands for
 * "larger than anything tested").
 */
export class Histogram {
  private counts = new Map<number, number>();
  private sorted: { values: Float64Array; cumulative: Float64Array } | null = null;
  total = 0;

  add(value: number, count = 1): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + count);
    this.total += count;
    this.sorted = null;
  }

  merge(other: Histogram): void {
    for (const [v, c] of other.counts) this.add(v, c);
  }

  get distinct(): number {
    return this.counts.size;
  }

  /** [value, count] pairs in increasing value order. */
  entries(): [number, number][] {
    const { values } = this.index();
    return Array.from(values, (v) => [v, this.counts.get(v)!]);
  }

  private index(): { values: Float64Array; cumulative: Float64Array } {
    if (this.sorted) return this.sorted;
    const values = Float64Array.from(this.counts.keys()).sort();
    const cumulative = new Float64Array(values.length);
    let run = 0;
    values.forEach((v, j) => (cumulative[j] = run += this.counts.get(v)!));
    return (this.sorted = { values, cumulative });
  }

  /** X_(rank): −∞ below rank 1, +∞ above the total. */
  at(rank: number): number {
    if (rank < 1) return -Infinity;
    if (rank > this.total) return Infinity;
    const { values, cumulative } = this.index();
    let lo = 0, hi = values.length - 1; // first j with cumulative[j] ≥ rank
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] >= rank) hi = mid; else lo = mid + 1;
    }
    return values[lo];
  }

  /** Number of values ≤ x. */
  countAtMost(x: number): number {
    if (this.total === 0) return 0;
    const { values, cumulative } = this.index();
    let lo = 0, hi = values.length; // first j with values[j] > x
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid] > x) hi = mid; else lo = mid + 1;
    }
    return lo === 0 ? 0 : cumulative[lo - 1];
  }

  /** The median (mean of the middle two for an even total), null when empty or not finite. */
  median(): number | null {
    const n = this.total;
    if (n === 0) return null;
    const value = n % 2 ? this.at((n + 1) / 2) : (this.at(n / 2) + this.at(n / 2 + 1)) / 2;
    return Number.isFinite(value) ? value : null;
  }

  toJSON(): (number | string)[][] {
    return this.entries().map(([v, c]) => [Number.isFinite(v) ? v : String(v), c]);
  }

  static fromJSON(pairs: (number | string)[][]): Histogram {
    const h = new Histogram();
    for (const [v, c] of pairs) h.add(Number(v), Number(c));
    return h;
  }
}
