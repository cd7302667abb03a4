/**
 * Exact closest subset sum (THEORY.md §6–§7) by meet-in-the-middle: the values are split
 * into two halves; each half's 2^h subset sums are generated already sorted (merging the
 * list L with L + v for each value, O(2^h) per half, masks carried along), and a
 * two-pointer scan over the two sorted lists finds the pair of half-sums closest to the
 * target. Cost O(2^(n/2)); exact (not a heuristic). The empty subset (sum 0) is allowed.
 *
 * Buffers are allocated once per solver and grown on demand; a solve allocates nothing.
 */
export const MAX_SUBSET_VALUES = 48; // 2 × 24-bit halves: 16.8M sums a half at the very worst

export interface SubsetSumResult {
  /** The best achievable sum. */
  sum: number;
  /** |sum − target|. */
  error: number;
  /** Bit masks of the chosen values in the first half (indices 0..h−1) and second half (h..n−1). */
  maskLow: number;
  maskHigh: number;
  /** Where the second half starts. */
  split: number;
}

export class SubsetSumSolver {
  private sumsA = new Float64Array(1);
  private masksA = new Uint32Array(1);
  private sumsB = new Float64Array(1);
  private masksB = new Uint32Array(1);
  private scratchSums = new Float64Array(1);
  private scratchMasks = new Uint32Array(1);
  readonly result: SubsetSumResult = { sum: 0, error: 0, maskLow: 0, maskHigh: 0, split: 0 };

  /** Closest subset sum of values[from .. from+count) to `target`; fills and returns `result`. */
  solve(values: ArrayLike<number>, from: number, count: number, target: number): SubsetSumResult {
    if (count > MAX_SUBSET_VALUES) throw new Error(`subset sum over ${count} values exceeds the exact-search limit ${MAX_SUBSET_VALUES}`);
    const h = count >> 1;
    this.ensure(1 << Math.max(h, count - h));
    const nA = this.sortedSums(values, from, h, this.sumsA, this.masksA);
    const nB = this.sortedSums(values, from + h, count - h, this.sumsB, this.masksB);
    const A = this.sumsA, B = this.sumsB;
    let i = 0, j = nB - 1, best = Infinity, bi = 0, bj = 0;
    while (i < nA && j >= 0) {
      const s = A[i] + B[j];
      const e = Math.abs(s - target);
      if (e < best) { best = e; bi = i; bj = j; }
      if (s < target) i++; else if (s > target) j--; else break;
    }
    const r = this.result;
    r.sum = A[bi] + B[bj];
    r.error = best;
    r.maskLow = this.masksA[bi];
    r.maskHigh = this.masksB[bj];
    r.split = h;
    return r;
  }

  private ensure(size: number): void {
    if (this.sumsA.length >= size) return;
    this.sumsA = new Float64Array(size);
    this.masksA = new Uint32Array(size);
    this.sumsB = new Float64Array(size);
    this.masksB = new Uint32Array(size);
    this.scratchSums = new Float64Array(size);
    this.scratchMasks = new Uint32Array(size);
  }

  /** All 2^n subset sums of values[from .. from+n), ascending, with their masks; returns 2^n. */
  private sortedSums(values: ArrayLike<number>, from: number, n: number, sums: Float64Array, masks: Uint32Array): number {
    sums[0] = 0;
    masks[0] = 0;
    let length = 1;
    for (let k = 0; k < n; k++) {
      const v = values[from + k], bit = (1 << k) >>> 0;
      // merge L (sums[0..length)) with L + v into scratch, then copy back
      let p = 0, q = 0, o = 0;
      const S = this.scratchSums, M = this.scratchMasks;
      while (p < length && q < length) {
        const shifted = sums[q] + v;
        if (sums[p] <= shifted) { S[o] = sums[p]; M[o++] = masks[p++]; }
        else { S[o] = shifted; M[o++] = (masks[q++] | bit) >>> 0; }
      }
      while (p < length) { S[o] = sums[p]; M[o++] = masks[p++]; }
      while (q < length) { S[o] = sums[q] + v; M[o++] = (masks[q++] | bit) >>> 0; }
      length = o;
      for (let j = 0; j < length; j++) { sums[j] = S[j]; masks[j] = M[j]; } // no subarray views: nothing allocated
    }
    return length;
  }
}

/** Indices (relative to `from`) chosen by a result. */
export function chosenIndices(result: SubsetSumResult, count: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < result.split; k++) if ((result.maskLow >>> k) & 1) out.push(k);
  for (let k = 0; k < count - result.split; k++) if ((result.maskHigh >>> k) & 1) out.push(result.split + k);
  return out;
}
