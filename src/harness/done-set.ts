/**
 * The finished seed positions of a cell as disjoint half-open intervals [start, end),
 * sorted. Batches are runs of consecutive positions that finish roughly in order, so
 * a cell of 10^10 seeds is a handful of intervals, not a bitset of 1.25 GB.
 */
export class DoneSet {
  /** Flattened [start0, end0, start1, end1, …], sorted and disjoint, never touching. */
  private bounds: number[] = [];
  /** Positions held. */
  size = 0;

  /** Adds [start, start + count); returns false (and adds nothing) if it overlaps what is held. */
  add(start: number, count: number): boolean {
    if (count <= 0) return true;
    const end = start + count;
    const b = this.bounds;
    // first interval whose end ≥ start (binary search over ends)
    let lo = 0, hi = b.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[2 * mid + 1] < start) lo = mid + 1; else hi = mid;
    }
    const i = lo;
    if (i < b.length / 2 && b[2 * i] < end && b[2 * i + 1] > start) return false; // overlap
    const touchLeft = i < b.length / 2 && b[2 * i + 1] === start;
    const nextIndex = touchLeft ? i + 1 : i;
    if (nextIndex < b.length / 2 && b[2 * nextIndex] < end) return false;
    const touchRight = nextIndex < b.length / 2 && b[2 * nextIndex] === end;
    if (touchLeft && touchRight) {
      b[2 * i + 1] = b[2 * nextIndex + 1];
      b.splice(2 * nextIndex, 2);
    } else if (touchLeft) {
      b[2 * i + 1] = end;
    } else if (touchRight) {
      b[2 * nextIndex] = start;
    } else {
      b.splice(2 * i, 0, start, end);
    }
    this.size += count;
    return true;
  }

  has(position: number): boolean {
    return this.intervalAt(position) >= 0;
  }

  /** Index of the interval holding `position`, or −1. */
  private intervalAt(position: number): number {
    const b = this.bounds;
    let lo = 0, hi = b.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[2 * mid + 1] <= position) lo = mid + 1; else hi = mid;
    }
    return lo < b.length / 2 && b[2 * lo] <= position ? lo : -1;
  }

  /** The first position ≥ `from` that is not done. */
  nextFree(from: number): number {
    const i = this.intervalAt(from);
    return i < 0 ? from : this.bounds[2 * i + 1];
  }

  /** The first done position ≥ `from`, or Infinity. */
  nextDone(from: number): number {
    if (this.has(from)) return from;
    const b = this.bounds;
    let lo = 0, hi = b.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[2 * mid] < from) lo = mid + 1; else hi = mid;
    }
    return lo < b.length / 2 ? b[2 * lo] : Infinity;
  }

  /** Positions in [start, end) that are done. */
  countIn(start: number, end: number): number {
    let n = 0;
    const b = this.bounds;
    for (let i = 0; i < b.length; i += 2) n += Math.max(0, Math.min(end, b[i + 1]) - Math.max(start, b[i]));
    return n;
  }

  toJSON(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.bounds.length; i += 2) out.push([this.bounds[i], this.bounds[i + 1]]);
    return out;
  }

  /** Rebuilds a set; false when the intervals are malformed or overlap. */
  static fromJSON(json: unknown): DoneSet | null {
    if (!Array.isArray(json)) return null;
    const set = new DoneSet();
    for (const pair of json) {
      if (!Array.isArray(pair) || pair.length !== 2 || !Number.isInteger(pair[0]) || !Number.isInteger(pair[1]) || pair[0] < 0 || pair[1] <= pair[0]) return null;
      if (!set.add(pair[0], pair[1] - pair[0])) return null;
    }
    return set;
  }
}
