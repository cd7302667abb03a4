import { describe, it, expect } from 'vitest';
import { DoneSet } from '../../src/harness/done-set.js';
import { Rng } from '../../src/rng/rng.js';

describe('DoneSet', () => {
  it('agrees with a bitset under random batches, merging touching runs', () => {
    const rng = new Rng(5, 8);
    const n = 2000;
    const bits = new Uint8Array(n);
    const set = new DoneSet();
    for (let step = 0; step < 3000; step++) {
      const start = Math.floor(rng.next() * n);
      const count = 1 + Math.floor(rng.next() * 20);
      const end = Math.min(n, start + count);
      const overlaps = bits.subarray(start, end).some((b) => b === 1);
      expect(set.add(start, end - start)).toBe(!overlaps);
      if (!overlaps) bits.fill(1, start, end);
    }
    expect(set.size).toBe(bits.reduce((a, b) => a + b, 0));
    for (let p = 0; p < n; p++) {
      expect(set.has(p)).toBe(bits[p] === 1);
      let free = p;
      while (free < n && bits[free]) free++;
      expect(Math.min(set.nextFree(p), n)).toBe(free);
    }
    const json = set.toJSON();
    for (let i = 1; i < json.length; i++) expect(json[i][0]).toBeGreaterThan(json[i - 1][1]); // disjoint, not touching
    expect(DoneSet.fromJSON(json)!.toJSON()).toEqual(json);
  });

  it('holds a long run of in-order batches as one interval', () => {
    const set = new DoneSet();
    for (let b = 0; b < 10000; b++) set.add(b * 8192, 8192);
    expect(set.toJSON()).toEqual([[0, 10000 * 8192]]);
  });

  it('refuses malformed or overlapping intervals from a checkpoint', () => {
    expect(DoneSet.fromJSON([[0, 5], [3, 8]])).toBeNull();
    expect(DoneSet.fromJSON([[5, 5]])).toBeNull();
    expect(DoneSet.fromJSON('x')).toBeNull();
  });
});
