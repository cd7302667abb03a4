import { describe, it, expect } from 'vitest';
import { ExactSum } from '../../src/stats/exact-sum.js';
import { Rng } from '../../src/rng/rng.js';

function sum(values: number[]): number {
  const s = new ExactSum();
  for (const v of values) s.add(v);
  return s.value();
}

/** Exact rational sum of doubles as a BigInt multiple of 2^-1074, then rounded half-even: the reference. */
function referenceSum(values: number[]): number {
  const view = new DataView(new ArrayBuffer(8));
  let total = 0n;
  for (const v of values) {
    view.setFloat64(0, v);
    const bits = view.getBigUint64(0);
    const exponent = Number((bits >> 52n) & 0x7ffn);
    const mantissa = bits & ((1n << 52n) - 1n);
    const m = exponent === 0 ? mantissa : mantissa | (1n << 52n);
    const scaled = m << BigInt(Math.max(0, exponent - 1)); // units of 2^-1074
    total += bits >> 63n ? -scaled : scaled;
  }
  // to a double, rounded half-even by hand: keep 53 bits, look at the rest
  const negative = total < 0n;
  const t = negative ? -total : total;
  const bits = t.toString(2).length;
  let value: number;
  if (bits <= 53) {
    value = Number(t) * 2 ** -1074;
  } else {
    const shift = BigInt(bits - 53);
    let q = t >> shift;
    const rest = t - (q << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
    value = Number(q) * 2 ** (Number(shift) - 1074);
  }
  return negative ? -value : value;
}

describe('ExactSum', () => {
  it('is exact where naive summation is not', () => {
    expect(sum([1e100, 1, -1e100])).toBe(1);
    expect(sum(Array(10).fill(0.1))).toBe(1);
    expect(Array(10).fill(0.1).reduce((a, b) => a + b, 0)).not.toBe(1); // the naive sum really differs
    expect(sum([1, 1e-16, 1e-16])).toBe(1.0000000000000002);
    expect(sum([])).toBe(0);
  });

  it('matches the exact rational sum, correctly rounded', () => {
    const rng = new Rng(7, 11);
    for (let trial = 0; trial < 200; trial++) {
      const values = Array.from({ length: 50 }, () => (rng.next() - 0.5) * 2 ** Math.floor(rng.next() * 60 - 30));
      expect(sum(values)).toBe(referenceSum(values));
    }
  });

  it('gives the same bytes for any order, split and merge (threads, batches, shards)', () => {
    const rng = new Rng(3, 5);
    const values = Array.from({ length: 2000 }, () => (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 12 - 6));
    const whole = sum(values);
    for (let trial = 0; trial < 20; trial++) {
      const shuffled = values.slice();
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const parts = [new ExactSum(), new ExactSum(), new ExactSum()];
      shuffled.forEach((v, i) => parts[i % 3].add(v));
      const merged = ExactSum.fromJSON(JSON.parse(JSON.stringify(parts[2])));
      merged.merge(parts[0]);
      merged.merge(parts[1]);
      expect(merged.value()).toBe(whole);
      expect(sum(shuffled)).toBe(whole);
    }
  });

  it('keeps IEEE answers for non-finite inputs through JSON', () => {
    const s = new ExactSum();
    s.add(1);
    s.add(Infinity);
    expect(s.value()).toBe(Infinity);
    expect(ExactSum.fromJSON(JSON.parse(JSON.stringify(s))).value()).toBe(Infinity);
    s.add(-Infinity);
    expect(s.value()).toBeNaN();
  });
});
