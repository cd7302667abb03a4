import { mix64, add64, GAMMA_HI, GAMMA_LO } from './splitmix64.js';

const TWO_POW_53 = 9007199254740992;
const tmp = new Uint32Array(2);

/**
 * xoshiro128** (Blackman & Vigna 2018): 128-bit state, 32-bit outputs, period
 * 2^128 − 1. Seeded from a 64-bit value through two splitmix64 outputs, as its
 * authors recommend. About 3 ns a double here, and creating one is a handful of
 * integer operations, so every named substream can afford its own generator.
 *
 * Every sampler in src/ takes an `Rng`; nothing calls Math.random.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seedHi: number, seedLo: number) {
    add64(seedHi, seedLo, GAMMA_HI, GAMMA_LO, tmp);
    const h1 = tmp[0], l1 = tmp[1];
    mix64(h1, l1, tmp);
    this.s0 = tmp[0] | 0;
    this.s1 = tmp[1] | 0;
    add64(h1, l1, GAMMA_HI, GAMMA_LO, tmp);
    mix64(tmp[0], tmp[1], tmp);
    this.s2 = tmp[0] | 0;
    this.s3 = tmp[1] | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s3 = 1; // the all-zero state is a fixed point
  }

  /** Next unsigned 32-bit integer. */
  nextU32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const a = this.nextU32() >>> 5; // 27 bits
    const b = this.nextU32() >>> 6; // 26 bits
    return (a * 67108864 + b) / TWO_POW_53;
  }

  /** Uniform double in (0, 1]: safe to take the logarithm of. */
  nextOpen(): number {
    return 1 - this.next();
  }

  /** Uniform double in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Uniform in [−1, 1): the distribution of every weight of the random network G (THEORY.md §3). */
  weight(): number {
    return 2 * this.next() - 1;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

