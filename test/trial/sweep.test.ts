import { describe, it, expect } from 'vitest';
import { expandSweep } from '../../src/trial/sweep.js';
import { parseTrial } from '../../src/trial/load.js';
import { expandCells } from '../../src/trial/expand.js';

describe('sweep specifications', () => {
  it('a list is taken as given', () => {
    expect(expandSweep([1, 'theory', 3], true)).toEqual({ values: [1, 'theory', 3] });
  });
  it('a scalar is not a sweep', () => {
    expect(expandSweep(0.1, false)).toBeNull();
    expect(expandSweep('uniform', false)).toBeNull();
  });
  it('log: from·(to/from)^(j/(count−1)), rounded for integers, duplicates removed', () => {
    expect(expandSweep({ log: [10, 1000, 5] }, true)).toEqual({ values: [10, 32, 100, 316, 1000] });
    expect(expandSweep({ log: [1, 4, 8] }, true)).toEqual({ values: [1, 2, 3, 4] });
    expect(expandSweep({ log: [0.001, 0.1, 3] }, false)).toEqual({ values: [0.001, 0.01, 0.1] });
  });
  it('range: from + j·step with `to` included within 1e-9·step, no float drift', () => {
    expect(expandSweep({ range: [0.1, 0.5, 0.1] }, false)).toEqual({ values: [0.1, 0.2, 0.3, 0.4, 0.5] });
    expect(expandSweep({ range: [100, 1000, 300] }, true)).toEqual({ values: [100, 400, 700, 1000] });
    expect(expandSweep({ range: [1, 2, 0.3] }, false)).toEqual({ values: [1, 1.3, 1.6, 1.9] });
  });
  it('a list may mix values and sweep objects', () => {
    expect(expandSweep([{ log: [10, 1000, 3] }, 'theory'], true)).toEqual({ values: [10, 100, 1000, 'theory'] });
  });
  it('bad specifications say what is allowed', () => {
    expect(expandSweep({ log: [0, 10, 3] }, true)).toHaveProperty('error');
    expect(expandSweep({ range: [1, 0, 1] }, true)).toHaveProperty('error');
    expect(expandSweep({ log: [1, 10] }, true)).toHaveProperty('error');
  });
  it('values land in the resolved cells and are validated like listed ones', () => {
    const trial = parseTrial('t.json', { name: 't', experiment: 'weight-lemma', seeds: 5, delta: 0.1, params: { k: { log: [10, 1000, 3] }, epsilon: { range: [0.05, 0.15, 0.05] } } });
    const cells = expandCells(trial);
    expect(cells.map((c) => [c.params.epsilon, c.params.k])).toEqual([
      [0.05, 10], [0.05, 100], [0.05, 1000], [0.1, 10], [0.1, 100], [0.1, 1000], [0.15, 10], [0.15, 100], [0.15, 1000],
    ]);
    expect(() => parseTrial('t.json', { name: 't', experiment: 'weight-lemma', seeds: 5, delta: 0.1, params: { epsilon: { range: [0.5, 1.5, 0.5] } } }))
      .toThrow(/params\.epsilon\[2\] must be a number in \(0, 1\] \(got 1\.5\)/);
  });
});
