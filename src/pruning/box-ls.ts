/**
 * Box-constrained least squares through the n × n Gram matrix (THEORY.md §8 steps 1–2):
 *
 *   minimize q(v) = ½·vᵀGv − bᵀv   subject to |v_i| ≤ C,
 *
 * which for G = ΦᵀΦ/N, b = Φᵀy/N is the least-squares fit of y by Φv with coefficients
 * in [−C, C]. Solved exactly (up to rounding) by the primal active-set method (Nocedal &
 * Wright, Numerical Optimization, Alg. 16.3) specialised to bounds:
 *
 *   start at v = 0 with every coordinate free; repeat
 *     1. with the bound coordinates fixed, step to the minimizer over the free ones
 *        (a Cholesky solve of G_FF·p = −g_F, g = Gv − b), shortened so v stays in the box;
 *        if a coordinate hits a bound it joins the bound set, and we repeat;
 *     2. otherwise v minimizes q on its face: if every bound coordinate has a non-negative
 *        multiplier (−g_i at +C, g_i at −C), v satisfies the KKT conditions and is optimal
 *        (q is convex); else free the most negative one and repeat.
 *
 * q decreases strictly whenever a coordinate is freed, so no face repeats; n ≤ ~100 here,
 * each step is O(f³) for f free coordinates, and a fit takes a handful of steps.
 * A singular G (fewer points than features, duplicate features) gets a relative jitter of
 * 1e-12 on the Cholesky pivots: the fit stays feasible and near-optimal.
 */
export class BoxLeastSquares {
  /** −1: at −C, 0: free, +1: at +C. */
  private readonly state: Int8Array;
  private readonly free: Int32Array;
  private readonly grad: Float64Array;
  private readonly step: Float64Array;
  private readonly factor: Float64Array;
  /** Steps taken by the last solve (for tests and replay). */
  iterations = 0;
  /** Bound coordinates freed again by the last solve (step 2's second branch). */
  releases = 0;

  constructor(readonly n: number) {
    this.state = new Int8Array(n);
    this.free = new Int32Array(n);
    this.grad = new Float64Array(n);
    this.step = new Float64Array(n);
    this.factor = new Float64Array(n * n);
  }

  /** Writes the minimizer into v (length ≥ n). `gram` is row-major n × n, symmetric, PSD. */
  solve(gram: Float64Array, moment: Float64Array, C: number, v: Float64Array): Float64Array {
    const n = this.n, state = this.state, grad = this.grad;
    v.fill(0, 0, n);
    state.fill(0);
    this.releases = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      let row = Math.abs(moment[i]);
      for (let j = 0; j < n; j++) row += C * Math.abs(gram[i * n + j]);
      if (row > scale) scale = row;
    }
    const tolerance = 1e-12 * scale;
    const maxIterations = 20 * n + 50;
    for (this.iterations = 0; this.iterations < maxIterations; this.iterations++) {
      const blocked = this.stepOnFace(gram, moment, C, v);
      if (blocked) continue;
      // v minimizes q on its face: check the multipliers of the bound coordinates
      this.gradient(gram, moment, v);
      let worst = -1, worstMultiplier = -tolerance;
      for (let i = 0; i < n; i++) {
        if (state[i] === 0) continue;
        const multiplier = state[i] > 0 ? -grad[i] : grad[i];
        if (multiplier < worstMultiplier) {
          worstMultiplier = multiplier;
          worst = i;
        }
      }
      if (worst < 0) return v;
      state[worst] = 0;
      this.releases++;
    }
    return v;
  }

  /** Step 1 above; returns true when a coordinate hit a bound (the step was shortened). */
  private stepOnFace(gram: Float64Array, moment: Float64Array, C: number, v: Float64Array): boolean {
    const n = this.n, state = this.state, free = this.free, step = this.step, factor = this.factor;
    let f = 0;
    for (let i = 0; i < n; i++) if (state[i] === 0) free[f++] = i;
    if (f === 0) return false;
    this.gradient(gram, moment, v);
    // Cholesky of G_FF into factor (f × f, lower), jittered pivots
    let maxDiagonal = 0;
    for (let a = 0; a < f; a++) maxDiagonal = Math.max(maxDiagonal, gram[free[a] * n + free[a]]);
    const floor = 1e-12 * (maxDiagonal > 0 ? maxDiagonal : 1);
    for (let a = 0; a < f; a++) {
      const ia = free[a];
      for (let b = 0; b <= a; b++) {
        let s = gram[ia * n + free[b]];
        for (let c = 0; c < b; c++) s -= factor[a * f + c] * factor[b * f + c];
        if (a === b) factor[a * f + a] = Math.sqrt(s > floor ? s : floor);
        else factor[a * f + b] = s / factor[b * f + b];
      }
    }
    // solve L·Lᵀ·p = −g_F
    for (let a = 0; a < f; a++) {
      let s = -this.grad[free[a]];
      for (let c = 0; c < a; c++) s -= factor[a * f + c] * step[c];
      step[a] = s / factor[a * f + a];
    }
    for (let a = f - 1; a >= 0; a--) {
      let s = step[a];
      for (let c = a + 1; c < f; c++) s -= factor[c * f + a] * step[c];
      step[a] = s / factor[a * f + a];
    }
    // longest feasible fraction of the step
    let alpha = 1, blocking = -1, blockingSign = 0;
    for (let a = 0; a < f; a++) {
      const i = free[a], p = step[a];
      if (p > 0 && v[i] + p > C) {
        const t = (C - v[i]) / p;
        if (t < alpha) { alpha = t; blocking = a; blockingSign = 1; }
      } else if (p < 0 && v[i] + p < -C) {
        const t = (-C - v[i]) / p;
        if (t < alpha) { alpha = t; blocking = a; blockingSign = -1; }
      }
    }
    if (alpha < 0) alpha = 0;
    for (let a = 0; a < f; a++) {
      const i = free[a];
      const x = v[i] + alpha * step[a];
      v[i] = x > C ? C : x < -C ? -C : x;
    }
    if (blocking < 0) return false;
    const i = free[blocking];
    v[i] = blockingSign * C;
    state[i] = blockingSign;
    return true;
  }

  private gradient(gram: Float64Array, moment: Float64Array, v: Float64Array): void {
    const n = this.n;
    for (let i = 0; i < n; i++) {
      let s = -moment[i];
      for (let j = 0; j < n; j++) s += gram[i * n + j] * v[j];
      this.grad[i] = s;
    }
  }
}

/** q(v) = ½·vᵀGv − bᵀv: the objective (for tests and diagnostics). */
export function boxObjective(gram: Float64Array, moment: Float64Array, v: ArrayLike<number>, n: number): number {
  let q = 0;
  for (let i = 0; i < n; i++) {
    let gv = 0;
    for (let j = 0; j < n; j++) gv += gram[i * n + j] * v[j];
    q += 0.5 * v[i] * gv - moment[i] * v[i];
  }
  return q;
}
