import { describe, it, expect } from 'vitest';
import { sampleTarget, spectralNorm, maxEntry, targetWidths, type TargetKind } from '../../src/nn/target.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

/** THEORY.md §2: every sampled target has ‖W_i‖₂ ≤ 1 and |W_i[a,b]| ≤ 1/√n_{i−1}, for every kind. */
describe('sampled targets satisfy both norm constraints', () => {
  const shapes: [number, number, number, number][] = [
    [3, 4, 2, 1], // Hadamard not applicable to layer 1 (d = 3)
    [4, 4, 3, 2], // Hadamard applicable (n_{i−1} = 4, n_i ≤ 4)
    [8, 5, 2, 3],
    [1, 6, 2, 1], // d = 1: M_1 = 1
    [16, 32, 2, 1], // n_i > n_{i−1} in layer 1: no Hadamard there
  ];
  for (const kind of ['random', 'worst', 'fixed'] as TargetKind[]) {
    it(kind, () => {
      const [hi, lo] = cellSeed('test', 'weight-prune', kind);
      for (const [d, n, l, out] of shapes) {
        const widths = targetWidths(d, n, l, out);
        for (let seed = 0; seed < 40; seed++) {
          const streams = Streams.forSeed(hi, lo, seed);
          const rng = kind === 'fixed' ? streams.cellStream('target') : streams.get('target');
          const net = sampleTarget(kind, widths, rng);
          expect(net.layers.length).toBe(l);
          net.layers.forEach((w, i) => {
            const rows = widths[i + 1], cols = widths[i];
            expect(w.length).toBe(rows * cols);
            // Hadamard layers have norm exactly 1: allow the SVD's own rounding (10⁻¹²)
            expect(spectralNorm(w, rows, cols)).toBeLessThanOrEqual(kind === 'worst' ? 1 + 1e-12 : 1);
            const m = maxEntry(cols);
            for (const value of w) expect(Math.abs(value)).toBeLessThanOrEqual(m);
            if (kind === 'worst') for (const value of w) expect(Math.abs(value)).toBe(Math.abs(w[0])); // ±c, c = M/max(1, ‖A‖₂)
          });
        }
      }
    });
  }

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
