import { describe, it, expect } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { dataFiles, loadDataset, maxPointNorm, selectPoints } from '../../src/data/dataset.js';
import { encodeIdxUint8, parseIdx } from '../../src/data/idx.js';
import { encodeNpy, parseNpy } from '../../src/data/npy.js';
import { choosePoints } from '../../src/models/trained-target.js';
import { UserError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

/** Data sets: IDX (gzip or plain) and .npy round trips, split lookup, one-line errors. */
const images = Array.from({ length: 5 * 2 * 3 }, (_, j) => (j * 37) % 256), labels = [3, 1, 4, 1, 5];

describe('data sets', () => {
  it('IDX round trip, plain and gzip, uint8 kept as bytes', () => {
    const plain = encodeIdxUint8([5, 2, 3], images);
    for (const bytes of [plain, gzipSync(plain)]) {
      const array = parseIdx('x.idx', bytes);
      expect(array.shape).toEqual([5, 2, 3]);
      expect(array.values).toBeInstanceOf(Uint8Array);
      expect(Array.from(array.values)).toEqual(images);
    }
  });

  it('.npy round trip, float64 and uint8', () => {
    const values = [0.5, -1.25, 3, 1e-300];
    expect(Array.from(parseNpy('a.npy', encodeNpy([2, 2], values, '<f8')).values)).toEqual(values);
    const u8 = parseNpy('b.npy', encodeNpy([5], labels, '|u1'));
    expect(u8.shape).toEqual([5]);
    expect(Array.from(u8.values)).toEqual(labels);
  });

  it('a directory of IDX files: t10k for test, train for train, pixels / 255', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(encodeIdxUint8([5, 2, 3], images)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdxUint8([5], labels));
    const data = loadDataset(dataFiles(dir, 'test'));
    expect([data.count, data.dim, data.classes]).toEqual([5, 6, 6]);
    expect(Array.from(data.labels)).toEqual(labels);
    const X = selectPoints(data, Int32Array.from([1]));
    expect(Array.from(X)).toEqual(images.slice(6, 12).map((v) => v / 255));
    let best = 0;
    for (let p = 0; p < 5; p++) best = Math.max(best, Math.hypot(...images.slice(6 * p, 6 * p + 6)));
    expect(maxPointNorm(data)).toBeCloseTo(best / 255, 12);
    expect(() => dataFiles(dir, 'train')).toThrow(/no train split here \(expected train-images-idx3-ubyte and train-labels-idx1-ubyte, optionally \.gz\)/);
  });

  it('{images, labels} as .npy files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), encodeNpy([5, 6], images.map((v) => v / 100), '<f8'));
    writeFileSync(join(dir, 'y.npy'), encodeNpy([5], labels, '|u1'));
    const data = loadDataset(dataFiles(JSON.stringify({ images: join(dir, 'x.npy'), labels: join(dir, 'y.npy') }), 'test'));
    expect(data.divisor).toBe(1);
    expect(Array.from(selectPoints(data, Int32Array.from([0])))).toEqual(images.slice(0, 6).map((v) => v / 100));
  });

  it('one-line errors: missing data set names the install command; mismatched counts; truncated IDX', () => {
    expect(() => dataFiles('fashion-mnist', 'test', '/nonexistent/fashion-mnist')).toThrow(
      'data "fashion-mnist": the data set is not installed; install it with: apt-get install -y dataset-fashion-mnist');
    const dir = tempDir();
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd', 't10k-images-idx3-ubyte'), encodeIdxUint8([5, 2, 3], images));
    writeFileSync(join(dir, 'd', 't10k-labels-idx1-ubyte'), encodeIdxUint8([4], labels.slice(0, 4)));
    expect(() => loadDataset(dataFiles(join(dir, 'd'), 'test'))).toThrow(/5 images but 4 labels/);
    const truncated = encodeIdxUint8([5, 2, 3], images).subarray(0, 20);
    expect(() => parseIdx('t.idx', truncated)).toThrow(UserError);
    expect(() => parseIdx('t.idx', truncated)).toThrow(/t\.idx: not a readable data file \(IDX holds 4 data bytes for shape \[5, 2, 3\] \(truncated\)\)/);
  });

  it('data_points: a deterministic sorted subset without repeats', () => {
    const data = { name: 'n', count: 1000, dim: 1, values: new Float64Array(1000), divisor: 1, labels: new Int32Array(1000), classes: 1 };
    const a = choosePoints(data, 100, 'key'), b = choosePoints(data, 100, 'key'), c = choosePoints(data, 100, 'other');
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(new Set(a).size).toBe(100);
    for (let j = 1; j < a.length; j++) expect(a[j]).toBeGreaterThan(a[j - 1]);
    expect(choosePoints(data, null, 'key')).toHaveLength(1000);
  });
});
