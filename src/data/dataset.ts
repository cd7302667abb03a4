import { existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { errors } from '../errors.js';
import { dataErrors } from '../models/model-errors.js';
import { parseIdx, type NumericArray } from './idx.js';
import { parseNpy } from './npy.js';

/** Where Debian's `dataset-fashion-mnist` package puts the IDX files (`dpkg -L dataset-fashion-mnist`). */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * A labelled data set: `count` points of dimension `dim`, flattened row-major. uint8 arrays
 * (pixels) are read as value/255 — the preprocessing of torchvision's ToTensor and of
 * examples/targets/train.py; other arrays are taken as they are.
 */
export interface Dataset {
  name: string;
  count: number;
  dim: number;
  /** Raw values; point p, coordinate j at p·dim + j. */
  values: Float64Array | Uint8Array;
  /** Divides `values` (255 for uint8 pixels, else 1). */
  divisor: number;
  labels: Int32Array;
  classes: number;
}

export interface DataFiles {
  images: string;
  labels: string;
}

/**
 * The `data` parameter: "fashion-mnist" (Debian's package), a directory of MNIST-style IDX
 * files (`train-*` / `t10k-*`, gzip or plain), or a JSON object {"images", "labels"} of IDX
 * or .npy files. Paths are already resolved (relative to the trial file) by the loader.
 */
export function dataFiles(data: string, split: 'train' | 'test', fashionMnistDir = FASHION_MNIST_DIR): DataFiles {
  if (data.startsWith('{')) return JSON.parse(data) as DataFiles;
  let dir = data;
  if (data === 'fashion-mnist') {
    if (!existsSync(fashionMnistDir)) throw dataErrors.notInstalled('fashion-mnist', 'dataset-fashion-mnist');
    dir = fashionMnistDir;
  }
  if (!existsSync(dir)) throw errors.fileMissing(dir);
  const prefix = split === 'train' ? 'train' : 't10k';
  const find = (kind: 'images' | 'labels', rank: number): string => {
    for (const sep of ['-', '.']) {
      for (const gz of ['.gz', '']) {
        const file = join(dir, `${prefix}-${kind}${sep}idx${rank}-ubyte${gz}`);
        if (existsSync(file)) return file;
      }
    }
    throw dataErrors.missingSplit(dir, split, prefix);
  };
  return { images: find('images', 3), labels: find('labels', 1) };
}

const cache = new Map<string, { stamp: string; sha256: string; array: NumericArray | null }>();

function cached(file: string): { sha256: string; array: NumericArray | null; bytes?: Uint8Array } {
  if (!existsSync(file)) throw errors.fileMissing(file);
  const stat = statSync(file), stamp = `${stat.size}:${stat.mtimeMs}`;
  const hit = cache.get(file);
  if (hit && hit.stamp === stamp) return hit;
  const bytes = readFileSync(file);
  const entry = { stamp, sha256: createHash('sha256').update(bytes).digest('hex'), array: null };
  cache.set(file, entry);
  return { ...entry, bytes };
}

/** sha256 of a file's contents (cached by size and mtime): what the configuration hash uses instead of the path. */
export function fileSha256(file: string): string {
  return cached(file).sha256;
}

/** The content hash of a data set's image and label files: what a run records instead of their paths. */
export function dataSha256(files: DataFiles): string {
  return createHash('sha256').update(fileSha256(files.images) + fileSha256(files.labels)).digest('hex');
}

function readArray(file: string): NumericArray {
  const entry = cached(file);
  if (entry.array) return entry.array;
  const bytes = entry.bytes ?? readFileSync(file);
  const array = file.replace(/\.gz$/, '').endsWith('.npy') ? parseNpy(file, bytes) : parseIdx(file, bytes);
  cache.get(file)!.array = array;
  return array;
}

export function loadDataset(files: DataFiles): Dataset {
  const images = readArray(files.images), labels = readArray(files.labels);
  const name = `${files.images} + ${files.labels}`;
  if (images.shape.length < 2) throw dataErrors.corrupt(files.images, `images of shape [${images.shape.join(', ')}] (at least 2-D: points × features)`);
  if (labels.shape.length !== 1) throw dataErrors.corrupt(files.labels, `labels of shape [${labels.shape.join(', ')}] (1-D)`);
  const count = images.shape[0];
  if (labels.shape[0] !== count) throw dataErrors.mismatch(name, `${count} images but ${labels.shape[0]} labels`);
  const out = new Int32Array(count);
  let classes = 0;
  for (let p = 0; p < count; p++) {
    const y = labels.values[p];
    if (!Number.isInteger(y) || y < 0) throw dataErrors.corrupt(files.labels, `label ${y} at point ${p} (labels are integers ≥ 0)`);
    out[p] = y;
    classes = Math.max(classes, y + 1);
  }
  return { name, count, dim: images.values.length / count, values: images.values, divisor: images.values instanceof Uint8Array ? 255 : 1, labels: out, classes };
}

/** The largest ‖x‖ over all points (THEORY.md §2b's ρ and R come from it). */
export function maxPointNorm(data: Dataset): number {
  let best = 0;
  for (let p = 0; p < data.count; p++) {
    let s = 0;
    for (let j = 0; j < data.dim; j++) { const x = data.values[p * data.dim + j]; s += x * x; }
    best = Math.max(best, s);
  }
  return Math.sqrt(best) / data.divisor;
}

/** Points `indices` as float64, row-major (count × dim). */
export function selectPoints(data: Dataset, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length * data.dim);
  for (let q = 0; q < indices.length; q++) {
    const base = indices[q] * data.dim;
    for (let j = 0; j < data.dim; j++) out[q * data.dim + j] = data.values[base + j] / data.divisor;
  }
  return out;
}
