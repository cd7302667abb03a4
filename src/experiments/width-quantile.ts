import type { CellStats } from '../stats/cell-stats.js';

/**
 * The (1 − δ)-quantile of a per-seed width column, X_(⌈(1 − δ)·N⌉) over all N seeds of
 * the cell, seeds without a width counting as +∞ (THEORY.md §8). A cell at least this
 * wide gives at least 1 − δ of its seeds their own theorem's width, which is what makes
 * it a test of the theorem. Null when there are no seeds or the quantile is +∞.
 */
export function widthQuantile(stats: CellStats, column: string, delta: number): number | null {
  const histogram = stats.histogram(column, 'infinity');
  if (histogram.total === 0) return null;
  const value = histogram.at(Math.ceil((1 - delta) * histogram.total));
  return Number.isFinite(value) ? value : null;
}
