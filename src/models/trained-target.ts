import { createHash } from 'node:crypto';
import { Rng } from '../rng/rng.js';
import { denseForwardBatch } from '../nn/dense.js';
import { dataFiles, loadDataset, maxPointNorm, selectPoints, fileSha256, dataSha256 as dataContentHash, type Dataset } from '../data/dataset.js';
import { loadModel } from './load-model.js';
import { normalizeTarget, normalizeInputs, type NormalizedTarget } from './normalize.js';
import { inputWidth, outputWidth, type TrainedNet } from './trained-net.js';
import { dataErrors } from './model-errors.js';

/** What a `trained-prune` cell measures against: the trained net, its normalized form and the data points (THEORY.md §2b). */
export interface TrainedTarget {
  trained: TrainedNet;
  normalized: NormalizedTarget;
  /** The chosen data points (indices into the split, ascending). */
  indices: Int32Array;
  /** P = number of points. */
  points: number;
  /** x̂ feature-major (x̂[j·P + p]), in the unit ball. */
  inputs: Float64Array;
  labels: Int32Array;
  /** F̂(x̂) feature-major (out × P). */
  outputs: Float64Array;
  predictions: Int32Array;
  accuracy: number;
  /** Per point: top-1 minus top-2 of F̂(x̂). */
  margins: Float64Array;
  /** max over points and outputs of |F̂(x̂)| (the unit of `epsilon: {"relative": r}`). */
  maxAbsOutput: number;
  modelSha256: string;
  dataSha256: string;
}

export interface TargetSpec {
  model: string;
  data: string;
  split: 'train' | 'test';
  dataPoints: number | null;
}

const cache = new Map<string, TrainedTarget>();

/**
 * Loads (once per process and spec; the cache is keyed by the files' sha256 too, so a file
 * changed on disk is read again) the model and data, normalizes the target over the whole
 * split's largest norm — so S does not depend on which points are measured, and every
 * point lies in the unit ball — and evaluates F̂ on the chosen points.
 */
export function trainedTarget(spec: TargetSpec): TrainedTarget {
  const files = dataFiles(spec.data, spec.split);
  const modelSha256 = fileSha256(spec.model);
  const dataSha256 = dataContentHash(files);
  const key = JSON.stringify([modelSha256, dataSha256, spec]);
  const hit = cache.get(key);
  if (hit) return hit;
  const trained = loadModel(spec.model);
  const data = loadDataset(files);
  const d = inputWidth(trained), out = outputWidth(trained);
  if (data.dim !== d) throw dataErrors.mismatch(spec.model, `the model takes ${d} inputs but the points of ${data.name} have ${data.dim} coordinates`);
  if (data.classes > out) throw dataErrors.mismatch(spec.model, `the model has ${out} outputs but ${data.name} has labels up to ${data.classes - 1}`);
  const normalized = normalizeTarget(trained, maxPointNorm(data));
  const indices = choosePoints(data, spec.dataPoints, `${dataSha256}\u0000${spec.split}`);
  const P = indices.length;
  const inputs = normalizeInputs(normalized, selectPoints(data, indices), P, d);
  const outputs = new Float64Array(out * P);
  const width = Math.max(...normalized.net.widths);
  denseForwardBatch(normalized.net, inputs, P, outputs, [new Float64Array(width * P), new Float64Array(width * P)]);
  const labels = Int32Array.from(indices, (i) => data.labels[i]);
  const predictions = argmaxColumns(outputs, out, P);
  const margins = new Float64Array(P);
  let correct = 0, maxAbs = 0;
  for (let p = 0; p < P; p++) {
    if (predictions[p] === labels[p]) correct++;
    let first = -Infinity, second = -Infinity;
    for (let a = 0; a < out; a++) {
      const y = outputs[a * P + p];
      maxAbs = Math.max(maxAbs, Math.abs(y));
      if (y > first) { second = first; first = y; } else if (y > second) second = y;
    }
    margins[p] = out > 1 ? first - second : Infinity;
  }
  const target: TrainedTarget = {
    trained, normalized, indices, points: P, inputs, labels, outputs, predictions, accuracy: correct / P, margins,
    maxAbsOutput: maxAbs, modelSha256, dataSha256,
  };
  cache.set(key, target);
  return target;
}

/** Index of the largest output per point (the first on ties, as torch.argmax), from feature-major outputs. */
export function argmaxColumns(outputs: Float64Array, out: number, P: number): Int32Array {
  const best = new Int32Array(P);
  for (let p = 0; p < P; p++) {
    for (let a = 1; a < out; a++) if (outputs[a * P + p] > outputs[best[p] * P + p]) best[p] = a;
  }
  return best;
}

/**
 * All points in order, or `count` of them drawn without replacement (partial Fisher–Yates,
 * then sorted) from a generator seeded by the data's content hash, the split and the count:
 * the same points for every seed, cell and machine.
 */
export function choosePoints(data: Dataset, count: number | null, key: string): Int32Array {
  const all = Int32Array.from({ length: data.count }, (_, i) => i);
  if (count === null || count >= data.count) return all;
  const digest = createHash('sha256').update(`data-points\u0000${key}\u0000${count}`).digest();
  const rng = new Rng(digest.readUInt32BE(0), digest.readUInt32BE(4));
  for (let j = 0; j < count; j++) {
    const r = j + Math.floor(rng.next() * (data.count - j));
    const t = all[j]; all[j] = all[r]; all[r] = t;
  }
  return all.slice(0, count).sort();
}
