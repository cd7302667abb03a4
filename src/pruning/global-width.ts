import type { ErrorSteps } from './record-chain.js';

/**
 * The global criterion's certified error as a function of the width (THEORY.md §5b):
 * every block's best-units error e_ab(k) is a step function of k, non-increasing (the
 * units are nested), starting at e_ab(0) = |w| (no unit kept). This records, per layer,
 * e_ab(0) and each block's steps (k, e) in the order the blocks report them (k increasing
 * within a block), and evaluates
 *   certified(k) = Π_i (1 + ‖E_i(k)‖_F) − 1
 * with the same arithmetic, in the same order, as the construction's own certified error
 * at its k (row-major sums of e², then the product over layers). Rounding is monotone, so
 * the computed certified(k) is non-increasing in k too, and the critical width
 * min{k : certified(k) ≤ ε} is found by bisection, consistent with success at every k.
 *
 * Memory: one step per change of a block's error, about H_k per block (≈ 12 at k = 2.5·10⁵),
 * 20 bytes each; buffers grow on demand and are reused across seeds.
 */
export class GlobalWidth implements ErrorSteps {
  private t = new Float64Array(1024);
  private e = new Float64Array(1024);
  private block = new Int32Array(1024);
  private count = 0;
  private layerBase: Float64Array[] = [];
  private layerEnd: number[] = [];
  private scratch = new Float64Array(0);
  private current = 0;

  reset(): void {
    this.count = 0;
    this.layerBase = [];
    this.layerEnd = [];
  }

  /** Starts a layer whose blocks have errors `base` at width 0 (row-major, copied). */
  beginLayer(base: Float64Array): void {
    this.layerBase.push(Float64Array.from(base));
    this.layerEnd.push(this.count);
    if (this.scratch.length < base.length) this.scratch = new Float64Array(base.length);
  }

  /** Selects the block (row-major index within the current layer) the next steps belong to. */
  setBlock(index: number): void {
    this.current = index;
  }

  step(t: number, e: number): void {
    if (this.count === this.t.length) this.grow();
    this.t[this.count] = t;
    this.e[this.count] = e;
    this.block[this.count++] = this.current;
    this.layerEnd[this.layerEnd.length - 1] = this.count;
  }

  /** certified(k), evaluated from scratch (O(blocks + steps)). */
  certifiedAt(k: number): number {
    let certified = 1, from = 0;
    for (let i = 0; i < this.layerBase.length; i++) {
      const base = this.layerBase[i], cur = this.scratch;
      cur.set(base);
      const end = this.layerEnd[i];
      for (let j = from; j < end; j++) if (this.t[j] <= k) cur[this.block[j]] = this.e[j];
      from = end;
      let eta2 = 0;
      for (let j = 0; j < base.length; j++) eta2 += cur[j] * cur[j];
      certified *= 1 + Math.sqrt(eta2);
    }
    return certified - 1;
  }

  /** The smallest k′ ≤ k with certified(k′) ≤ ε, or null when even k fails. */
  criticalWidth(k: number, eps: number): number | null {
    if (!(this.certifiedAt(k) <= eps)) return null;
    if (this.certifiedAt(0) <= eps) return 0;
    let lo = 0, hi = k; // certified(lo) > ε ≥ certified(hi)
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.certifiedAt(mid) <= eps) hi = mid; else lo = mid;
    }
    return hi;
  }

  private grow(): void {
    const size = 2 * this.t.length;
    const t = new Float64Array(size), e = new Float64Array(size), block = new Int32Array(size);
    t.set(this.t); e.set(this.e); block.set(this.block);
    this.t = t; this.e = e; this.block = block;
  }
}
