import { Matrix, solve } from 'ml-matrix';
import { Rng } from '../rng/rng.js';

/**
 * Scaling laws of the atlas (issue 16 item 4): ordinary least squares of a response on a
 * few regressors (plus an intercept), with percentile intervals from a bootstrap that
 * redraws each point's measurement from its own seeds (or cells) and refits.
 */
export interface FitPoint {
  /** Traceability: which trial and group the point is. */
  label: string;
  /** Regressor values, in the fit's regressor order. */
  x: number[];
  y: number;
  /** One bootstrap replicate of y (the point's statistic recomputed on resampled seeds), or null when it is undefined in that replicate. */
  replicate?: (rng: Rng) => number | null;
}

export interface FitResult {
  /** Regressors that vary over the points (the others are left out: not identifiable). */
  names: string[];
  /** Regressors the points do not vary (fixed in this atlas). */
  fixed: string[];
  intercept: number;
  coef: number[];
  /** Bootstrap percentile intervals at `level` (NaN when there are no replicates). */
  low: number[];
  high: number[];
  r2: number;
  points: number;
  replicates: number;
  /** Fitted y of each point, in order. */
  fitted: number[];
}

/** Least squares with an intercept; returns [intercept, ...coefficients]. */
export function leastSquares(x: number[][], y: number[]): number[] {
  const design = new Matrix(x.map((row) => [1, ...row]));
  return solve(design, Matrix.columnVector(y), true).getColumn(0);
}

export function fit(regressors: string[], points: FitPoint[], replicates = 200, level = 0.95, seed = 16): FitResult | null {
  const finite = points.filter((p) => Number.isFinite(p.y) && p.x.every(Number.isFinite));
  const varying = regressors.map((_, j) => new Set(finite.map((p) => p.x[j])).size > 1);
  const names = regressors.filter((_, j) => varying[j]);
  const fixed = regressors.filter((_, j) => !varying[j]);
  const pick = (x: number[]) => x.filter((_, j) => varying[j]);
  if (finite.length < names.length + 2) return null;
  const beta = leastSquares(finite.map((p) => pick(p.x)), finite.map((p) => p.y));
  const fitted = finite.map((p) => beta[0] + pick(p.x).reduce((s, v, j) => s + v * beta[j + 1], 0));
  const mean = finite.reduce((s, p) => s + p.y, 0) / finite.length;
  const ssTot = finite.reduce((s, p) => s + (p.y - mean) ** 2, 0);
  const ssRes = finite.reduce((s, p, i) => s + (p.y - fitted[i]) ** 2, 0);
  const draws: number[][] = names.map(() => []);
  const rng = new Rng(0x41544c41, seed); // "ATLA": a fixed stream, so the intervals are the same bytes on every run
  let done = 0;
  if (finite.every((p) => p.replicate)) {
    for (let b = 0; b < replicates; b++) {
      const rows: number[][] = [], ys: number[] = [];
      for (const p of finite) {
        const y = p.replicate!(rng);
        if (y === null || !Number.isFinite(y)) continue;
        rows.push(pick(p.x));
        ys.push(y);
      }
      if (ys.length < names.length + 2) continue;
      const replicate = leastSquares(rows, ys);
      names.forEach((_, j) => draws[j].push(replicate[j + 1]));
      done++;
    }
  }
  const percentile = (values: number[], q: number) => {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  };
  return {
    names,
    fixed,
    intercept: beta[0],
    coef: beta.slice(1),
    low: draws.map((d) => percentile(d, (1 - level) / 2)),
    high: draws.map((d) => percentile(d, 1 - (1 - level) / 2)),
    r2: ssTot > 0 ? 1 - ssRes / ssTot : 1,
    points: finite.length,
    replicates: done,
    fitted,
  };
}
