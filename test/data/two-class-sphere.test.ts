import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { twoClassSphere, drawWithReplacement, drawWithoutReplacement } from '../../src/data/two-class-sphere.js';
import { dataFiles, loadDataset } from '../../src/data/dataset.js';
import { encodeNpy } from '../../src/data/npy.js';
import { UserError } from '../../src/errors.js';
import { Rng } from '../../src/rng/rng.js';
import { ROOT, tempDir } from '../helpers/cli.js';

/**
 * Real points for the neuron theorems (src/data/two-class-sphere.ts): the two classes' points,
 * centered by their own mean and projected to the unit sphere; labels +1 for the first class,
 * −1 for the second; a point equal to the mean is dropped; a class without points is refused.
 */
const slice = join(ROOT, 'data/fashion-mnist-slice');

describe('twoClassSphere', () => {
  it('on the Fashion-MNIST slice: unit rows x_p with ‖z_p − μ‖·x_p = z_p − μ, μ the mean of the two classes\' points (so Σ_p ‖z_p − μ‖·x_p = 0)', () => {
    const s = twoClassSphere({ data: slice, split: 'test', classes: [0, 6] });
    const raw = loadDataset(dataFiles(slice, 'test'));
    const chosen = [...raw.labels.keys()].filter((p) => raw.labels[p] === 0 || raw.labels[p] === 6);
    const d = raw.dim;
    expect(s.d).toBe(784);
    expect(s.count).toBe(chosen.length);
    expect(s.dropped).toBe(0);
    const mu = new Float64Array(d);
    for (const p of chosen) for (let j = 0; j < d; j++) mu[j] += raw.values[p * d + j] / chosen.length;
    const sum = new Float64Array(d);
    let unitError = 0, directionError = 0;
    chosen.forEach((p, q) => {
      let norm2 = 0, xx = 0;
      for (let j = 0; j < d; j++) { norm2 += (raw.values[p * d + j] - mu[j]) ** 2; xx += s.points[q * d + j] ** 2; }
      unitError = Math.max(unitError, Math.abs(xx - 1));
      const norm = Math.sqrt(norm2);
      for (let j = 0; j < d; j++) {
        const centered = raw.values[p * d + j] - mu[j];
        directionError = Math.max(directionError, Math.abs(norm * s.points[q * d + j] - centered) / norm);
        sum[j] += norm * s.points[q * d + j];
      }
      // labels ±1 by class, in the data's order: class a (0) → +1, class b (6) → −1
      expect(s.labels[q]).toBe(raw.labels[p] === 0 ? 1 : -1);
    });
    expect(unitError).toBeLessThan(1e-12);
    expect(directionError).toBeLessThan(1e-12);
    expect(Math.max(...sum.map((v) => Math.abs(v / chosen.length)))).toBeLessThan(1e-9);
    expect(s.perClass).toEqual([chosen.filter((p) => raw.labels[p] === 0).length, chosen.filter((p) => raw.labels[p] === 6).length]);
    const swapped = twoClassSphere({ data: slice, split: 'test', classes: [6, 0] });
    expect(Array.from(swapped.labels)).toEqual(Array.from(s.labels, (y) => -y));
  });

  it('drops a point equal to the mean (no direction) and leaves other classes out', () => {
    const dir = tempDir();
    // class 0: (2,1,0), (1,1,1); class 1: (0,1,2); class 2: (9,9,9). μ of classes 0 and 1 = (1,1,1)
    writeFileSync(join(dir, 'x.npy'), encodeNpy([4, 3], [2, 1, 0, 1, 1, 1, 0, 1, 2, 9, 9, 9], '<f8'));
    writeFileSync(join(dir, 'y.npy'), encodeNpy([4], [0, 0, 1, 2], '|u1'));
    const data = JSON.stringify({ images: join(dir, 'x.npy'), labels: join(dir, 'y.npy') });
    const s = twoClassSphere({ data, split: 'test', classes: [0, 1] });
    expect(s.count).toBe(2);
    expect(s.dropped).toBe(1);
    expect(s.perClass).toEqual([1, 1]);
    const r = Math.SQRT1_2;
    expect(Array.from(s.points).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([r, 0, -r, -r, 0, r].map((v) => Math.round(v * 1e12) / 1e12));
    expect(Array.from(s.labels)).toEqual([1, -1]);
    // only the mean-point left in class 0: refused (nothing left to memorize or fit)
    writeFileSync(join(dir, 'y2.npy'), encodeNpy([4], [1, 0, 1, 2], '|u1'));
    expect(() => twoClassSphere({ data: JSON.stringify({ images: join(dir, 'x.npy'), labels: join(dir, 'y2.npy') }), split: 'test', classes: [0, 1] }))
      .toThrow(UserError);
  });

  it('refuses a class without points, naming it (one line)', () => {
    let error: unknown;
    try { twoClassSphere({ data: slice, split: 'test', classes: [0, 42] }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/class 42 has no points in the test split \(labels run from 0 to 9\)/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('draws: with replacement rows of the set with their labels; without replacement distinct rows', () => {
    const s = twoClassSphere({ data: slice, split: 'test', classes: [0, 6] });
    const d = s.d, N = 300, m = s.count;
    const rowKey = (xs: Float64Array, q: number) => xs.subarray(q * d, (q + 1) * d).join(',');
    const index = new Map<string, number>();
    for (let p = 0; p < s.count; p++) index.set(rowKey(s.points, p), p);
    const x = new Float64Array(N * d), y = new Float64Array(N);
    drawWithReplacement(new Rng(1, 2), s, N, x, y);
    for (let q = 0; q < N; q++) expect(y[q]).toBe(s.labels[index.get(rowKey(x, q))!]);
    const xw = new Float64Array(m * d), yw = new Float64Array(m);
    drawWithoutReplacement(new Rng(3, 4), s, m, xw, yw);
    const seen = new Set<number>();
    for (let q = 0; q < m; q++) {
      const p = index.get(rowKey(xw, q))!;
      expect(yw[q]).toBe(s.labels[p]);
      seen.add(p);
    }
    expect(seen.size).toBe(m); // all m points, each once
  });
});
