/**
 * Rng = xoshiro128** (Blackman & Vigna) seeded from two splitmix64 outputs; next() is a
 * 53-bit uniform in [0, 1), nextOpen() = 1 − next() in (0, 1], weight() in [−1, 1).
 */
import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/rng/rng.js';
import { Z, mean, variance, expectWithinSE, expectFraction } from '../support/stats.js';
import { MASK, GAMMA, mixRef } from '../support/splitmix-ref.js';


/** Reference xoshiro128** written from the paper's C code, state in a Uint32Array. */
class RefXoshiro128ss {
  s: Uint32Array;
  constructor(s: number[]) { this.s = Uint32Array.from(s); }
  static seeded(seed: bigint): RefXoshiro128ss {
    const a = mixRef((seed + GAMMA) & MASK), b = mixRef((seed + 2n * GAMMA) & MASK);
    return new RefXoshiro128ss([Number(a >> 32n), Number(a & 0xffffffffn), Number(b >> 32n), Number(b & 0xffffffffn)]);
  }
  nextU32(): number {
    const s = this.s;
    const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
    const result = Number((BigInt(rotl(Number((BigInt(s[1]) * 5n) & 0xffffffffn), 7)) * 9n) & 0xffffffffn);
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
    return result;
  }
}

const SEED_HI = 0x243f6a88, SEED_LO = 0x85a308d3; // fixed master seed for this file (digits of π)

describe('Rng (xoshiro128**)', () => {
  it('reproduces the published xoshiro128** outputs from state {1, 2, 3, 4}', () => {
    const rng = new Rng(0, 0);
    Object.assign(rng, { s0: 1, s1: 2, s2: 3, s3: 4 }); // private state, set for this known-answer test
    const expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
    expect(expected.map(() => rng.nextU32())).toEqual(expected);
  });

  it('is seeded from splitmix64 outputs 1 and 2 of the 64-bit seed and matches a reference implementation', () => {
    for (const seed of [0n, 1n, 0xffffffffffffffffn, 0x243f6a8885a308d3n, 0x0000000100000000n]) {
      const rng = new Rng(Number(seed >> 32n), Number(seed & 0xffffffffn));
      const ref = RefXoshiro128ss.seeded(seed);
      for (let i = 0; i < 1000; i++) expect(rng.nextU32()).toBe(ref.nextU32());
    }
  });

  it('next() is (a·2^26 + b)/2^53 from two 32-bit outputs (27 + 26 bits)', () => {
    const seed = 0x243f6a8885a308d3n;
    const rng = new Rng(SEED_HI, SEED_LO);
    const ref = RefXoshiro128ss.seeded(seed);
    for (let i = 0; i < 1000; i++) {
      const a = ref.nextU32() >>> 5, b = ref.nextU32() >>> 6;
      expect(rng.next()).toBe((a * 2 ** 26 + b) / 2 ** 53);
    }
  });

  it('same seed gives the same sequence; a one-bit change of the seed gives an unrelated one', () => {
    const a = new Rng(SEED_HI, SEED_LO), b = new Rng(SEED_HI, SEED_LO);
    for (let i = 0; i < 10000; i++) expect(a.next()).toBe(b.next());
    for (const [h, l] of [[SEED_HI, SEED_LO ^ 1], [SEED_HI ^ 0x80000000, SEED_LO], [SEED_HI, (SEED_LO + 1) >>> 0]]) {
      const x = new Rng(SEED_HI, SEED_LO), y = new Rng(h, l);
      let same = 0;
      for (let i = 0; i < 10000; i++) if (x.nextU32() === y.nextU32()) same++;
      expect(same).toBeLessThanOrEqual(1); // expected 10000 / 2^32
    }
  });

  it('ranges: next() in [0, 1), nextOpen() in (0, 1], weight() in [−1, 1), uniform(a, b) in [a, b)', () => {
    const rng = new Rng(SEED_HI, SEED_LO);
    let minW = Infinity, maxW = -Infinity, bad = 0;
    for (let i = 0; i < 100000; i++) {
      const x = rng.next(), o = rng.nextOpen(), w = rng.weight(), u = rng.uniform(-3, 5);
      if (!(x >= 0 && x < 1 && o > 0 && o <= 1 && w >= -1 && w < 1 && u >= -3 && u < 5)) bad++;
      minW = Math.min(minW, w); maxW = Math.max(maxW, w);
    }
    expect(bad).toBe(0);
    expect(minW).toBeLessThan(-0.999); // weights cover the whole interval
    expect(maxW).toBeGreaterThan(0.999);
  });

  it('nextOpen() = 1 − next() and weight() = 2·next() − 1 on the same stream', () => {
    const a = new Rng(7, 11), b = new Rng(7, 11);
    for (let i = 0; i < 1000; i++) {
      expect(a.nextOpen()).toBe(1 - b.next());
      expect(a.weight()).toBe(2 * b.next() - 1);
    }
  });

  it('10^5 uniforms have mean 1/2 and variance 1/12 within 5 standard errors', () => {
    const rng = new Rng(SEED_HI, SEED_LO);
    const n = 100000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = rng.next();
    expectWithinSE(mean(xs), 0.5, Math.sqrt(1 / 12 / n), 'mean', 5);
    // Var(sample variance) ≈ (μ4 − σ⁴)/n with μ4 = 1/80, σ⁴ = 1/144 for U[0, 1]
    expectWithinSE(variance(xs), 1 / 12, Math.sqrt((1 / 80 - 1 / 144) / n), 'variance', 5);
    // lag-1 serial correlation ≈ N(0, 1/n)
    let c = 0;
    for (let i = 0; i + 1 < n; i++) c += (xs[i] - 0.5) * (xs[i + 1] - 0.5);
    expectWithinSE((c / (n - 1)) * 12, 0, 1 / Math.sqrt(n), 'lag-1 correlation', 5);
  });

  it('chi-square over 100 equal buckets (and 10×10 buckets of consecutive pairs) is within 5 SD of its mean', () => {
    const rng = new Rng(SEED_HI, SEED_LO);
    const n = 100000, buckets = 100;
    const one = new Array(buckets).fill(0), pairs = new Array(buckets).fill(0);
    for (let i = 0; i < n; i++) {
      const x = rng.next(), y = rng.next();
      one[Math.floor(x * buckets)]++;
      pairs[Math.floor(x * 10) * 10 + Math.floor(y * 10)]++;
    }
    const chi2 = (counts: number[]) => counts.reduce((s, c) => s + (c - n / buckets) ** 2 / (n / buckets), 0);
    const df = buckets - 1, sd = Math.sqrt(2 * df);
    for (const [label, counts] of [['single', one], ['pairs', pairs]] as const) {
      const x2 = chi2(counts);
      expect(x2, `${label} chi2 ${x2}`).toBeLessThan(df + 5 * sd);
      expect(x2, `${label} chi2 ${x2} (too regular)`).toBeGreaterThan(df - 4.5 * sd);
    }
  });

  it('each of the 53 bits of next() (low bits included) is 1 half of the time', () => {
    const rng = new Rng(SEED_HI, SEED_LO);
    const n = 40000;
    const ones = new Array(53).fill(0);
    for (let i = 0; i < n; i++) {
      let m = rng.next() * 2 ** 53; // an integer < 2^53
      for (let bit = 0; bit < 53; bit++) { ones[bit] += m % 2; m = Math.floor(m / 2); }
    }
    // 53 checks: 5 SE keeps the family-wise false alarm rate ≈ 3e-5
    ones.forEach((c, bit) => expectFraction(c, n, 0.5, `bit ${bit}`, 5));
  });
});
