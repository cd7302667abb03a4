/**
 * The neuron experiments' cell width (THEORY.md §8): the (1 − δ)-quantile of the per-seed
 * theory widths, X_(⌈(1 − δ)·N⌉), seeds without a width counting as +∞.
 */
import { describe, it, expect } from 'vitest';
import { CellStats } from '../../src/stats/cell-stats.js';
import { widthQuantile } from '../../src/experiments/width-quantile.js';
import { memorize } from '../../src/experiments/memorize.js';
import { neuronRf, type NeuronRfParams } from '../../src/experiments/neuron-rf.js';

function statsOf(values: (number | null)[]): CellStats {
  const stats = new CellStats([{ name: 'theory_width', histogram: true }]);
  for (const v of values) stats.add([v]);
  return stats;
}

describe('widthQuantile', () => {
  it('is the ⌈(1 − δ)·N⌉-th order statistic (here the 9th of 10 at δ = 0.1), not the median', () => {
    const stats = statsOf([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    expect(widthQuantile(stats, 'theory_width', 0.1)).toBe(9);
    expect(widthQuantile(stats, 'theory_width', 0.5)).toBe(5);
    expect(widthQuantile(stats, 'theory_width', 0.01)).toBe(10);
  });

  it('counts a seed without a width as +∞: null once more than δ of the seeds have none', () => {
    expect(widthQuantile(statsOf([1, 2, 3, 4, 5, 6, 7, 8, 9, null]), 'theory_width', 0.1)).toBe(9);
    expect(widthQuantile(statsOf([1, 2, 3, 4, 5, 6, 7, 8, null, null]), 'theory_width', 0.1)).toBeNull();
    expect(widthQuantile(statsOf([]), 'theory_width', 0.1)).toBeNull();
  });

  it('is the theory width of memorize cells and of neuron-rf cells (in groups)', () => {
    const values = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
    const m = memorize.resolve({ d: 10, m: 5, points: 'uniform', separation: 0.1, clusters: 2, labels: 'sign', k: 1000, epsilon: 0.5, delta: 0.2, redraws: 0, max_width: 1e8 });
    const mStats = new CellStats(memorize.columns.map((c) => ({ name: c.name, histogram: c.histogram })));
    const twm = memorize.columns.findIndex((c) => c.name === 'theory_width');
    for (const v of values) { const row: (number | null)[] = memorize.columns.map(() => 1); row[twm] = v; mStats.add(row); }
    expect(memorize.theoryWidth(m, mStats)).toBe(800);
    const p = neuronRf.resolve({ d: 5, n: 20, C: 2, groups: 100, epsilon: 0.1, delta: 0.2, activation: 'relu', loss: 'squared',
      anchors: 10, noise: 0, train_points: 500, test_points: 1000, max_width: 1e7 }) as NeuronRfParams;
    const rStats = new CellStats([...neuronRf.columns, ...(neuronRf.derived ?? [])].map((c) => ({ name: c.name, histogram: c.histogram })));
    const twr = neuronRf.columns.findIndex((c) => c.name === 'theory_width');
    for (const v of values) { const row: (number | null)[] = [...neuronRf.columns, ...(neuronRf.derived ?? [])].map(() => 1); row[twr] = v * 20; rStats.add(row); }
    expect(neuronRf.theoryWidth(p, rStats)).toBe(800);
  });
});
