import { describe, it, expect } from 'vitest';
import { sampleTarget, spectralNorm, maxEntry, targetWidths, worstTargetProblem, type TargetKind } from '../../src/nn/target.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

/** THEORY.md §2: every sampled target has ‖W_i‖₂ ≤ 1 and |W_i[a,b]| ≤ 1/√n_{i−1}, for every kind. */
describe('sampled targets satisfy both norm constraints', () => {
  const shapes: [number, number, number, number][] = [
    [3, 4, 2, 1], // n_1 = 4 > d = 3: no exact ±M layer ("worst" refused)
    [4, 4, 3, 2], // Sylvester (n_{i−1} = 4, n_i ≤ 4)
    [8, 5, 2, 3],
    [1, 6, 2, 1], // d = 1: M_1 = 1
    [16, 32, 2, 1], // n_i > n_{i−1} in layer 1
    [6, 2, 2, 1], // n_i = 2 with n_{i−1} = 6 even, then n_i = 1 with n_{i−1} = 2
    [12, 2, 3, 1], // the same with a 2 × 2 middle layer
    [5, 1, 1, 1], // n_i = 1 with n_{i−1} = 5
  ];
  for (const kind of ['random', 'worst', 'sign', 'fixed'] as TargetKind[]) {
    it(kind, () => {
      const [hi, lo] = cellSeed('test', 'weight-prune', kind);
      let tested = 0;
      for (const [d, n, l, out] of shapes) {
        const widths = targetWidths(d, n, l, out);
        if (kind === 'worst' && worstTargetProblem(widths) !== null) continue;
        tested++;
        for (let seed = 0; seed < 40; seed++) {
          const streams = Streams.forSeed(hi, lo, seed);
          const rng = kind === 'fixed' ? streams.cellStream('target') : streams.get('target');
          const net = sampleTarget(kind, widths, rng);
          expect(net.layers.length).toBe(l);
          net.layers.forEach((w, i) => {
            const rows = widths[i + 1], cols = widths[i];
            expect(w.length).toBe(rows * cols);
            const m = maxEntry(cols);
            if (kind === 'worst') {
              // exact: every entry ±M_i and orthonormal rows (scaled by M_i), so ‖W_i‖₂ = 1 up to the SVD's rounding
              for (const value of w) expect(Math.abs(value)).toBe(m);
              expect(spectralNorm(w, rows, cols)).toBeCloseTo(1, 12);
              expect(spectralNorm(w, rows, cols)).toBeLessThanOrEqual(1 + 1e-12);
            } else {
              expect(spectralNorm(w, rows, cols)).toBeLessThanOrEqual(1);
              for (const value of w) expect(Math.abs(value)).toBeLessThanOrEqual(m);
            }
            if (kind === 'sign') for (const value of w) expect(Math.abs(value)).toBe(Math.abs(w[0])); // ±c, c = M/max(1, ‖A‖₂)
          });
        }
      }
      expect(tested).toBe(kind === 'worst' ? 4 : shapes.length);
    });
  }

  it('"worst" is refused on shapes without an exact construction, naming the layer and its shape', () => {
    expect(worstTargetProblem([3, 4, 1])).toMatch(/layer 1 \(n_1 × n_0 = 4 × 3: n_i > n_\{i−1\}/);
    expect(worstTargetProblem([4, 8, 1])).toMatch(/layer 1 \(n_1 × n_0 = 8 × 4/);
    expect(worstTargetProblem([8, 8, 3, 1])).toBeNull(); // 3 rows of an 8-column Sylvester matrix
    expect(worstTargetProblem([8, 5, 3])).toMatch(/layer 2 \(n_2 × n_1 = 3 × 5: n_i ≥ 3 needs 4 \| n_\{i−1\}/);
    expect(worstTargetProblem([8, 8, 8, 1])).toBeNull();
    expect(worstTargetProblem([7, 2, 1])).toMatch(/layer 1 \(n_1 × n_0 = 2 × 7: n_i = 2 needs n_\{i−1\} even/);
    expect(worstTargetProblem([12, 3, 1])).toMatch(/layer 1 \(n_1 × n_0 = 3 × 12: a Hadamard matrix of this order exists but is not built/);
    expect(worstTargetProblem([6, 3, 1])).toMatch(/layer 1 \(n_1 × n_0 = 3 × 6: n_i ≥ 3 needs 4 \| n_\{i−1\}/);
    const [hi, lo] = cellSeed('test', 'weight-prune', 'refused');
    expect(() => sampleTarget('worst', [3, 4, 1], Streams.forSeed(hi, lo, 0).get('target'))).toThrow(/no exact ±M construction for a 4 × 3 layer/);
  });

  it('worst targets with a power-of-two input width are Hadamard: spectral norm exactly 1, entries exactly ±M', () => {
    const [hi, lo] = cellSeed('test', 'weight-prune', 'hadamard');
    const net = sampleTarget('worst', [8, 8, 4], Streams.forSeed(hi, lo, 0).get('target'));
    for (const [i, w] of net.layers.entries()) {
      const cols = [8, 8][i], rows = [8, 4][i];
      expect(spectralNorm(w, rows, cols)).toBeCloseTo(1, 12);
      for (const value of w) expect(Math.abs(value)).toBe(maxEntry(cols));
    }
  });

  it('fixed targets are the same for every seed of a cell; random ones differ', () => {
    const [hi, lo] = cellSeed('test', 'weight-prune', 'fixed-vs-random');
    const a = Streams.forSeed(hi, lo, 0), b = Streams.forSeed(hi, lo, 1);
    const widths = [3, 4, 1];
    expect(sampleTarget('fixed', widths, a.cellStream('target')).layers).toEqual(sampleTarget('fixed', widths, b.cellStream('target')).layers);
    expect(sampleTarget('random', widths, a.get('target')).layers).not.toEqual(sampleTarget('random', widths, b.get('target')).layers);
  });
});
