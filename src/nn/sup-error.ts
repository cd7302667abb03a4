import type { Rng } from '../rng/rng.js';
import { NormalSampler, drawSpherePoint } from '../rng/ziggurat.js';

export interface SupSearch {
  /** Random points on the sphere to start from. */
  points: number;
  /** How many of the worst points get a local ascent. */
  climbers: number;
  /** Ascent steps per climber. */
  steps: number;
}

export const DEFAULT_SUP_SEARCH: SupSearch = { points: 256, climbers: 4, steps: 60 };

/** One input → one output (length `outputs`). */
export type Forward = (x: Float64Array, out: Float64Array) => void;
/**
 * P inputs at once, feature-major: input j of point p is X[j·P + p], output a of point p
 * goes to out[a·P + p]. Inner loops run over points, contiguously.
 */
export type BatchForward = (X: Float64Array, P: number, out: Float64Array) => void;

/**
 * A lower bound of sup over the unit ball of ‖G(x) − F(x)‖ (THEORY.md §5 "sampled"):
 * bias-free ReLU networks are positively homogeneous, so the sup over the ball is
 * attained on the sphere. Evaluates `points` random sphere points in one batch, then
 * climbs from the worst `climbers` of them by random perturbations on the sphere with a
 * shrinking step (accepting only improvements), all climbers stepping together in one
 * batch per step. Returns the error and writes the worst input found into `worst`.
 */
export function sampledSupErrorBatch(f: BatchForward, g: BatchForward, d: number, outputs: number, rng: Rng,
  search: SupSearch, worst: Float64Array): number {
  let FX = new Float64Array(0), GX = new Float64Array(0);
  return search_(d, rng, search, worst, (X, P, gaps) => {
    if (FX.length < outputs * P) { FX = new Float64Array(outputs * P); GX = new Float64Array(outputs * P); }
    f(X, P, FX);
    g(X, P, GX);
    gaps.fill(0, 0, P);
    for (let a = 0; a < outputs; a++) {
      const base = a * P;
      for (let p = 0; p < P; p++) { const diff = GX[base + p] - FX[base + p]; gaps[p] += diff * diff; }
    }
    for (let p = 0; p < P; p++) gaps[p] = Math.sqrt(gaps[p]);
  });
}

/** The same search with one-point forwards (tests, benchmarks): identical results to the batch form. */
export function sampledSupError(f: Forward, g: Forward, d: number, outputs: number, rng: Rng, search: SupSearch, worst: Float64Array): number {
  const x = new Float64Array(d), fx = new Float64Array(outputs), gx = new Float64Array(outputs);
  return search_(d, rng, search, worst, (X, P, gaps) => {
    for (let p = 0; p < P; p++) {
      for (let j = 0; j < d; j++) x[j] = X[j * P + p];
      f(x, fx);
      g(x, gx);
      let s = 0;
      for (let a = 0; a < outputs; a++) s += (gx[a] - fx[a]) ** 2;
      gaps[p] = Math.sqrt(s);
    }
  });
}

function search_(d: number, rng: Rng, search: SupSearch, worst: Float64Array,
  evaluate: (X: Float64Array, P: number, gaps: Float64Array) => void): number {
  const normals = new NormalSampler(rng); // ziggurat: ≈ 4× cheaper than Box–Muller per coordinate
  const P = search.points;
  if (P === 0) return -1;
  const X = new Float64Array(d * P), point = new Float64Array(d), gaps = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    drawSpherePoint(normals, point, 0, d);
    for (let j = 0; j < d; j++) X[j * P + p] = point[j];
  }
  evaluate(X, P, gaps);
  // the worst points (largest gap, earliest first on ties) start the climbers
  const order = Array.from({ length: P }, (_, p) => p).sort((p, q) => gaps[q] - gaps[p] || p - q);
  const C = Math.max(1, Math.min(search.climbers, P));
  const current = new Float64Array(d * C), trial = new Float64Array(d * C);
  const value = new Float64Array(C), step = new Float64Array(C).fill(0.3), trialGaps = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    value[c] = gaps[order[c]];
    for (let j = 0; j < d; j++) current[j * C + c] = X[j * P + order[c]];
  }
  for (let s = 0; s < search.steps; s++) {
    for (let c = 0; c < C; c++) {
      let norm2 = 0;
      for (let j = 0; j < d; j++) {
        const t = current[j * C + c] + step[c] * normals.next();
        trial[j * C + c] = t;
        norm2 += t * t;
      }
      const inv = 1 / Math.sqrt(norm2);
      for (let j = 0; j < d; j++) trial[j * C + c] *= inv;
    }
    evaluate(trial, C, trialGaps);
    for (let c = 0; c < C; c++) {
      if (trialGaps[c] > value[c]) {
        value[c] = trialGaps[c];
        for (let j = 0; j < d; j++) current[j * C + c] = trial[j * C + c];
      } else step[c] *= 0.8;
    }
  }
  let best = 0;
  for (let c = 1; c < C; c++) if (value[c] > value[best]) best = c;
  for (let j = 0; j < d; j++) worst[j] = current[j * C + best];
  return value[best];
}
