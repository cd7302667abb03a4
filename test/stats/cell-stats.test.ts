import { describe, it, expect } from 'vitest';
import { CellStats } from '../../src/stats/cell-stats.js';
import { Histogram } from '../../src/stats/histogram.js';
import { median } from '../../src/stats/median.js';
import { quantileWithCI } from '../../src/stats/quantile-ci.js';
import { Rng } from '../../src/rng/rng.js';

const fields = [{ name: 'success' }, { name: 'error' }, { name: 'width', histogram: true }];

function rows(n: number, seed: number): (number | null)[][] {
  const rng = new Rng(seed, 1);
  return Array.from({ length: n }, () => {
    const ok = rng.next() < 0.7;
    return [ok ? 1 : 0, ok ? rng.next() * 0.1 : null, rng.next() < 0.05 ? null : 1 + Math.floor(rng.next() * 300)];
  });
}

describe('CellStats', () => {
  it('gives what the rows give: counts, exact means, extremes, medians with and without +∞ for none', () => {
    const data = rows(1001, 9);
    const stats = new CellStats(fields);
    data.forEach((r) => stats.add(r));
    const errors = data.map((r) => r[1]).filter((x): x is number => x !== null);
    const widths = data.map((r) => r[2]);
    expect(stats.seeds).toBe(1001);
    expect(stats.sum('success')).toBe(data.filter((r) => r[0] === 1).length);
    expect(stats.count('error')).toBe(errors.length);
    expect(stats.mean('error')).toBeCloseTo(errors.reduce((a, b) => a + b, 0) / errors.length, 15);
    expect(stats.max('error')).toBe(Math.max(...errors));
    expect(stats.min('width')).toBe(Math.min(...widths.filter((x): x is number => x !== null)));
    expect(stats.median('width')).toBe(median(widths.filter((x): x is number => x !== null)));
    expect(stats.median('width', 'infinity')).toBe(median(widths.map((x) => (x === null ? Infinity : x))));
  });

  it('merges to the same JSON as one pass, whatever the split', () => {
    const data = rows(600, 4);
    const whole = new CellStats(fields);
    data.forEach((r) => whole.add(r));
    const parts = [new CellStats(fields), new CellStats(fields)];
    data.forEach((r, i) => parts[(i * 7) % 5 < 2 ? 0 : 1].add(r));
    const merged = CellStats.fromJSON(fields, JSON.parse(JSON.stringify(parts[1])));
    merged.merge(CellStats.fromJSON(fields, JSON.parse(JSON.stringify(parts[0]))));
    for (const name of ['success', 'error', 'width']) {
      expect(merged.mean(name)).toBe(whole.mean(name));
      expect(merged.count(name)).toBe(whole.count(name));
    }
    expect(merged.histogram('width').toJSON()).toEqual(whole.histogram('width').toJSON());
  });

  it('refuses an aggregate whose counts do not add up, naming the column', () => {
    const stats = new CellStats(fields);
    rows(10, 1).forEach((r) => stats.add(r));
    const json = JSON.parse(JSON.stringify(stats));
    json.fields.error.n += 1;
    expect(() => CellStats.fromJSON(fields, json)).toThrow(/column "error": .* ≠ 10 seeds/);
    const json2 = JSON.parse(JSON.stringify(stats));
    json2.fields.width.hist[0][1] += 1;
    expect(() => CellStats.fromJSON(fields, json2)).toThrow(/column "width": histogram holds/);
  });
});

describe('Histogram order statistics', () => {
  it('X_(r) and the quantile interval equal those of the sorted sample', () => {
    const rng = new Rng(2, 2);
    const sample = Array.from({ length: 777 }, () => Math.floor(rng.next() * 50));
    const h = new Histogram();
    sample.forEach((x) => h.add(x));
    const sorted = Float64Array.from(sample).sort();
    for (const r of [1, 2, 100, 388, 776, 777]) expect(h.at(r)).toBe(sorted[r - 1]);
    expect(h.at(0)).toBe(-Infinity);
    expect(h.at(778)).toBe(Infinity);
    for (const level of [0.5, 0.9, 0.99]) expect(quantileWithCI(h, level, 0.95)).toEqual(quantileWithCI(sorted, level, 0.95));
    expect(h.countAtMost(10)).toBe(sample.filter((x) => x <= 10).length);
  });
});
