import type { Rng } from '../rng/rng.js';
import { SubsetSumSolver, chosenIndices } from './subset-sum.js';

/**
 * The `subset-sum` method for one block and one target weight w (THEORY.md §7): units
 * (u_t, v_t), t = 1..k, scanned from the block's stream exactly as the pair rule's scan
 * draws them (u then v); P⁺ = {v > 0}, P⁻ = {v < 0}, products a_t = u_t·v_t; on each side
 * the subset whose sum is closest to w, exactly. Success: both side errors ≤ τ.
 * The block computes (Σ_{S⁺} a)·σ(x) − (Σ_{S⁻} a)·σ(−x), so e = max of the two errors.
 */
export class SubsetSumBlock {
  readonly u: Float64Array;
  readonly v: Float64Array;
  private readonly plus: Float64Array;
  private readonly minus: Float64Array;
  private readonly plusIndex: Int32Array;
  private readonly minusIndex: Int32Array;
  private readonly solver = new SubsetSumSolver();
  /** Results of the last `solve`: the kept units (0-based indices into u, v) and the side errors. */
  keptPlus: number[] = [];
  keptMinus: number[] = [];
  errorPlus = 0;
  errorMinus = 0;

  constructor(readonly capacity: number) {
    this.u = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.plus = new Float64Array(capacity);
    this.minus = new Float64Array(capacity);
    this.plusIndex = new Int32Array(capacity);
    this.minusIndex = new Int32Array(capacity);
  }

  /** Draws k units (u then v, each U[−1, 1)) from the block's stream. */
  scan(rng: Rng, k: number): void {
    for (let t = 0; t < k; t++) {
      this.u[t] = rng.weight();
      this.v[t] = rng.weight();
    }
  }

  /**
   * Solves both sides over the first k units for target w; returns e = max side error. With
   * `oneSide` (inputs ≥ 0, THEORY.md §5 option) only the v > 0 side is solved: σ(−x) = 0, so the
   * v < 0 side keeps nothing and costs no error.
   */
  solve(k: number, w: number, products?: Float64Array, oneSide = false): number {
    let np = 0, nm = 0;
    for (let t = 0; t < k; t++) {
      const a = products ? products[t] : this.u[t] * this.v[t];
      if (this.v[t] > 0) { this.plus[np] = a; this.plusIndex[np++] = t; }
      else if (this.v[t] < 0) { this.minus[nm] = a; this.minusIndex[nm++] = t; }
    }
    const rp = this.solver.solve(this.plus, 0, np, w);
    this.errorPlus = rp.error;
    this.keptPlus = chosenIndices(rp, np).map((j) => this.plusIndex[j]);
    if (oneSide) {
      this.errorMinus = 0;
      this.keptMinus = [];
      return this.errorPlus;
    }
    const rm = this.solver.solve(this.minus, 0, nm, w);
    this.errorMinus = rm.error;
    this.keptMinus = chosenIndices(rm, nm).map((j) => this.minusIndex[j]);
    return Math.max(this.errorPlus, this.errorMinus);
  }

  /**
   * The smallest k′ ≤ k with success (both side errors ≤ τ; the v > 0 side with `oneSide`), by bisection: success is
   * monotone in k′ (more units, more subsets). Returns 0 when even k fails. Leaves the
   * solution for the full k in keptPlus/keptMinus/errors.
   */
  criticalWidth(k: number, w: number, tau: number, products?: Float64Array, oneSide = false): number {
    if (this.solve(k, w, products, oneSide) > tau) return 0;
    let lo = 0, hi = k; // k′ = 0 (no block at all) counts as failure; k succeeds
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.solve(mid, w, products, oneSide) <= tau) hi = mid; else lo = mid;
    }
    this.solve(k, w, products, oneSide); // leave the solution at the full width
    return hi;
  }
}
