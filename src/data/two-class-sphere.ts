import type { Rng } from '../rng/rng.js';
import { dataFiles, loadDataset, dataSha256 } from './dataset.js';
import { dataErrors } from '../models/model-errors.js';

/**
 * Real points for the neuron theorems (THEORY.md §8–§9 take x on the unit sphere S^{d−1}):
 * the points of two classes [a, b] of a data set, labelled y = +1 (class a) and y = −1
 * (class b), centered and projected to the sphere,
 *
 *   x = (z − μ)/‖z − μ‖,   μ = the mean of the selected points z of both classes,
 *
 * z = the raw values (x does not depend on their scale, so pixels need not be divided by 255).
 * Centering first, because pixels are ≥ 0: uncentered images all lie in one orthant, at small
 * angles to each other, and §9's kernel matrix H is then nearly singular. d is the data's own
 * dimension (784 for Fashion-MNIST). A point with z = μ (‖z − μ‖ ≤ 1e-12 × the largest
 * ‖z − μ‖) has no direction: it is dropped, and `dropped` counts it.
 */
export interface TwoClassSphere {
  /** count × d, row-major, unit rows, in the data's order. */
  points: Float64Array;
  /** +1 for class a, −1 for class b. */
  labels: Float64Array;
  count: number;
  d: number;
  /** Points of class a and of class b (after dropping). */
  perClass: [number, number];
  dropped: number;
  dataSha256: string;
}

export interface TwoClassSpec {
  /** The `data` parameter, paths already relative to the working directory. */
  data: string;
  split: 'train' | 'test';
  classes: [number, number];
}

const cache = new Map<string, TwoClassSphere>();

/** Loads (once per process, data content and classes; a file changed on disk is read again) the two classes' points on the sphere. */
export function twoClassSphere(spec: TwoClassSpec): TwoClassSphere {
  const files = dataFiles(spec.data, spec.split);
  const sha256 = dataSha256(files);
  const key = JSON.stringify([sha256, spec.split, spec.classes]);
  const hit = cache.get(key);
  if (hit) return hit;
  const data = loadDataset(files);
  const d = data.dim;
  if (d < 2) throw dataErrors.mismatch(data.name, `points of dimension ${d} (the sphere S^{d−1} needs d ≥ 2)`);
  const [a, b] = spec.classes;
  const chosen: number[] = [];
  for (let p = 0; p < data.count; p++) if (data.labels[p] === a || data.labels[p] === b) chosen.push(p);
  for (const c of [a, b]) {
    if (!chosen.some((p) => data.labels[p] === c)) {
      throw dataErrors.mismatch(data.name, `class ${c} has no points in the ${spec.split} split (labels run from 0 to ${data.classes - 1}); params.classes must name two classes present`);
    }
  }
  const N = chosen.length, mean = new Float64Array(d), values = data.values;
  for (const p of chosen) for (let j = 0; j < d; j++) mean[j] += values[p * d + j];
  for (let j = 0; j < d; j++) mean[j] /= N;
  const norms = chosen.map((p) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (values[p * d + j] - mean[j]) ** 2;
    return Math.sqrt(s);
  });
  const largest = norms.reduce((x, y) => Math.max(x, y), 0);
  const kept = chosen.map((_, q) => q).filter((q) => norms[q] > 1e-12 * largest);
  const points = new Float64Array(kept.length * d), labels = new Float64Array(kept.length);
  const perClass: [number, number] = [0, 0];
  kept.forEach((q, r) => {
    const p = chosen[q], inv = 1 / norms[q];
    for (let j = 0; j < d; j++) points[r * d + j] = (values[p * d + j] - mean[j]) * inv;
    const first = data.labels[p] === a;
    labels[r] = first ? 1 : -1;
    perClass[first ? 0 : 1]++;
  });
  for (const [c, n] of [[a, perClass[0]], [b, perClass[1]]]) {
    if (n === 0) throw dataErrors.mismatch(data.name, `class ${c} has no points left after centering (every one equals the mean)`);
  }
  const result: TwoClassSphere = { points, labels, count: kept.length, d, perClass, dropped: N - kept.length, dataSha256: sha256 };
  cache.set(key, result);
  return result;
}

/** `count` points drawn i.i.d. uniformly from the set (one uniform a point, in order), into outX (count × d) and outY. */
export function drawWithReplacement(rng: Rng, source: TwoClassSphere, count: number, outX: Float64Array, outY: Float64Array): void {
  const { d, points, labels } = source;
  for (let q = 0; q < count; q++) {
    const p = Math.floor(rng.next() * source.count);
    outX.set(points.subarray(p * d, (p + 1) * d), q * d);
    outY[q] = labels[p];
  }
}

/**
 * `count` ≤ source.count distinct points, uniformly (partial Fisher–Yates: one uniform a point,
 * in order), into outX and outY in the order drawn.
 */
export function drawWithoutReplacement(rng: Rng, source: TwoClassSphere, count: number, outX: Float64Array, outY: Float64Array): void {
  const { d, points, labels } = source;
  const order = Int32Array.from({ length: source.count }, (_, i) => i);
  for (let q = 0; q < count; q++) {
    const r = q + Math.floor(rng.next() * (source.count - q));
    const p = order[r];
    order[r] = order[q];
    order[q] = p;
    outX.set(points.subarray(p * d, (p + 1) * d), q * d);
    outY[q] = labels[p];
  }
}
