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

/**
 * A lower bound of sup over the unit ball of ‖G(x) − F(x)‖ (THEORY.md §5 "sampled"):
 * bias-free ReLU networks are positively homogeneous, so the sup over the ball is
 * attained on the sphere. Evaluates random sphere points, then climbs from the worst
 * few by random perturbations on the sphere with a shrinking step (accepting only
 * improvements). Returns the error and writes the worst input found into `worst`.
 */
export function sampledSupError(
  f: (x: Float64Array, out: Float64Array) => void,
  g: (x: Float64Array, out: Float64Array) => void,
  d: number,
  outputs: number,
  rng: Rng,
  search: SupSearch,
  worst: Float64Array,
): number {
  const normals = new NormalSampler(rng); // ziggurat: ≈ 4× cheaper than Box–Muller per coordinate
  const fx = new Float64Array(outputs), gx = new Float64Array(outputs);
  const x = new Float64Array(d), trial = new Float64Array(d);
  const gap = (point: Float64Array): number => {
    f(point, fx);
    g(point, gx);
    let s = 0;
    for (let a = 0; a < outputs; a++) s += (gx[a] - fx[a]) ** 2;
    return Math.sqrt(s);
  };
  const starts: { value: number; point: Float64Array }[] = [];
  for (let j = 0; j < search.points; j++) {
    drawSpherePoint(normals, x, 0, d);
    const value = gap(x);
    if (search.climbers > 0 && (starts.length < search.climbers || value > starts[starts.length - 1].value)) {
      starts.push({ value, point: Float64Array.from(x) });
      starts.sort((p, q) => q.value - p.value);
      if (starts.length > search.climbers) starts.pop();
    }
  }
  let best = -1;
  if (starts.length === 0) return best; // no points asked for
  for (const start of starts) {
    let value = start.value, step = 0.3;
    x.set(start.point);
    for (let s = 0; s < search.steps; s++) {
      let norm2 = 0;
      for (let j = 0; j < d; j++) { trial[j] = x[j] + step * normals.next(); norm2 += trial[j] ** 2; }
      const inv = 1 / Math.sqrt(norm2);
      for (let j = 0; j < d; j++) trial[j] *= inv;
      const candidate = gap(trial);
      if (candidate > value) { value = candidate; x.set(trial); } else step *= 0.8;
    }
    if (value > best) { best = value; worst.set(x); }
  }
  return best;
}
