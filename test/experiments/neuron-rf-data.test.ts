/**
 * `neuron-rf` on real points (THEORY.md §8 with `data`): D is the uniform distribution over the
 * two classes' points on the sphere, so every training and test point is one of them with its
 * ±1 label; the measured excess loss − groups_loss has mean excess_expected (exact given the
 * features, fits and test sample: each feature's second moment over the test sample) within
 * 4.5 SE over seeds; the same seed gives the same row.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { neuronRf, type NeuronRfParams } from '../../src/experiments/neuron-rf.js';
import { neuronRfSeed } from '../../src/pruning/rf-construction.js';
import { twoClassSphere } from '../../src/data/two-class-sphere.js';
import { Streams } from '../../src/rng/streams.js';
import { expectMean } from '../support/stats.js';
import { ROOT } from '../helpers/cli.js';

const slice = join(ROOT, 'data/fashion-mnist-slice');
const given = {
  n: 5, C: 30, groups: 2, epsilon: 0.5, delta: 0.1, activation: 'relu', loss: 'squared', anchors: 10, noise: 0,
  train_points: 100, test_points: 100, max_width: 1e7, data: slice, classes: '[0,1]',
};
const p = neuronRf.resolve(given) as NeuronRfParams;
const source = twoClassSphere({ data: slice, split: 'test', classes: [0, 1] });
const streams = (seed: number) => Streams.forSeed(0x61, 0x62, seed);
const column = (name: string) => neuronRf.columns.findIndex((c) => c.name === name);

describe('neuron-rf on real points (Fashion-MNIST slice, classes [0, 1])', () => {
  it('d = 784 from the data; the test sample is drawn from D: points of the two classes with their ±1 labels', () => {
    expect(p.d).toBe(784);
    expect(p.data_points).toBe(source.count);
    const d = p.d, index = new Map<string, number>();
    for (let q = 0; q < source.count; q++) index.set(source.points.subarray(q * d, (q + 1) * d).join(','), q);
    const s = neuronRfSeed(p, streams(0), { record: true, data: source });
    const drawn = new Set<number>();
    for (let t = 0; t < p.test_points; t++) {
      const q = index.get(s.testPoints!.subarray(t * d, (t + 1) * d).join(','));
      expect(q).toBeDefined();
      expect(s.testLabels![t]).toBe(source.labels[q!]);
      drawn.add(q!);
    }
    expect(drawn.size).toBeGreaterThan(30); // i.i.d. with replacement from ≈ 100 points
    expect(Number.isNaN(s.teacherMax)).toBe(true);
  });

  it('the mean over seeds of loss − groups_loss equals the mean excess_expected (4.5 SE)', () => {
    const gaps: number[] = [];
    for (let seed = 0; seed < 600; seed++) {
      const row = neuronRf.run(p, streams(seed));
      gaps.push(row[column('loss')]! - row[column('groups_loss')]! - row[column('excess_expected')]!);
    }
    expectMean(gaps, 0, 'loss − groups_loss − excess_expected');
  });

  it('is deterministic: the same seed gives the same row, another seed another', () => {
    const a = neuronRf.run(p, streams(7)), b = neuronRf.run(neuronRf.resolve(given) as NeuronRfParams, streams(7));
    expect(b).toEqual(a);
    expect(neuronRf.run(p, streams(8))).not.toEqual(a);
  });
});
