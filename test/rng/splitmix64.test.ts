/**
 * splitmix64 on (hi, lo) uint32 halves against a BigInt reference of the standard
 * algorithm (Steele, Lea & Flood 2014; Vigna's splitmix64.c):
 *   state += 0x9e3779b97f4a7c15
 *   z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
 *   z = (z ^ (z >> 27)) * 0x94d049bb133111eb
 *   return z ^ (z >> 31)                        (all mod 2^64)
 */
import { describe, it, expect } from 'vitest';
import { mul64, add64, mix64, splitmixAt, hex64, GAMMA_HI, GAMMA_LO } from '../../src/rng/splitmix64.js';
import { MASK, GAMMA, mixRef } from '../support/splitmix-ref.js';


const hiOf = (x: bigint) => Number(x >> 32n);
const loOf = (x: bigint) => Number(x & 0xffffffffn);
const join = (out: Uint32Array) => (BigInt(out[0]) << 32n) | BigInt(out[1]);

/** Deterministic 64-bit test inputs: Knuth's MMIX LCG (independent of the code under test) plus edge cases. */
function inputs(count: number): bigint[] {
  const edges = [
    0n, 1n, 2n, 0xffffffffn, 0x100000000n, 0x100000001n, 1n << 63n, MASK, MASK - 1n,
    0xffffffff00000000n, 0x00000000ffffffffn, 0x8000000080000000n, 0x7fffffff7fffffffn, GAMMA,
  ];
  const xs = [...edges];
  let x = 0x0123456789abcdefn;
  while (xs.length < count) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & MASK;
    xs.push(x);
  }
  return xs;
}

const out = new Uint32Array(2);
const XS = inputs(3000);

describe('splitmix64 on uint32 halves', () => {
  it('gamma halves are 0x9e3779b97f4a7c15', () => {
    expect((BigInt(GAMMA_HI) << 32n) | BigInt(GAMMA_LO)).toBe(GAMMA);
  });

  it('mul64 equals a·b mod 2^64 for many pairs', () => {
    for (let i = 0; i + 1 < XS.length; i++) {
      const a = XS[i], b = XS[XS.length - 1 - i];
      mul64(hiOf(a), loOf(a), hiOf(b), loOf(b), out);
      expect(join(out), `${a.toString(16)} * ${b.toString(16)}`).toBe((a * b) & MASK);
    }
  });

  it('add64 equals a + b mod 2^64 for many pairs (carry out of the low word, wrap at 2^64)', () => {
    for (let i = 0; i + 1 < XS.length; i++) {
      const a = XS[i], b = XS[(i * 7 + 3) % XS.length];
      add64(hiOf(a), loOf(a), hiOf(b), loOf(b), out);
      expect(join(out), `${a.toString(16)} + ${b.toString(16)}`).toBe((a + b) & MASK);
    }
  });

  it('mix64 equals the splitmix64 finalizer for many inputs', () => {
    for (const x of XS) {
      mix64(hiOf(x), loOf(x), out);
      expect(join(out), x.toString(16)).toBe(mixRef(x));
    }
  });

  it('accepts halves given as signed int32 bit patterns (as the Rng stores its state)', () => {
    for (const x of XS.slice(0, 200)) {
      const h = hiOf(x), l = loOf(x);
      const a = new Uint32Array(2), b = new Uint32Array(2);
      mix64(h, l, a);
      mix64(h | 0, l | 0, b);
      expect([...b]).toEqual([...a]);
      mul64(h | 0, l | 0, 0x94d049bb | 0, 0x133111eb, b);
      mul64(h, l, 0x94d049bb, 0x133111eb, a);
      expect([...b]).toEqual([...a]);
      add64(h | 0, l | 0, GAMMA_HI | 0, GAMMA_LO | 0, b);
      add64(h, l, GAMMA_HI, GAMMA_LO, a);
      expect([...b]).toEqual([...a]);
    }
  });

  it('splitmixAt(hi, lo, i) = mix(state + (i + 1)·γ), including indices ≥ 2^32', () => {
    const indices = [0, 1, 2, 3, 63, 64, 1000, 65535, 65536, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 5, 2 ** 53 - 2];
    for (const s of XS.slice(0, 300)) {
      for (const i of indices) {
        splitmixAt(hiOf(s), loOf(s), i, out);
        expect(join(out), `state ${s.toString(16)}, i ${i}`).toBe(mixRef((s + BigInt(i + 1) * GAMMA) & MASK));
      }
    }
  });

  it('splitmixAt reproduces the published splitmix64 outputs (seed 0 and seed 1234567)', () => {
    // splitmix64.c (Vigna) seeded with 0: first output 0xe220a8397b1dcdaf
    const seed0 = ['e220a8397b1dcdaf', '6e789e6aa1b965f4', '06c45d188009454f', 'f88bb8a8724c81ec'];
    seed0.forEach((hex, i) => {
      splitmixAt(0, 0, i, out);
      expect(hex64(out[0], out[1])).toBe(hex);
    });
    // seed 1234567: the test vector used by several splitmix64 ports
    const seed1234567 = [6457827717110365317n, 3203168211198807973n, 9817491932198370423n, 4593380528125082431n, 16408922859458223821n];
    seed1234567.forEach((value, i) => {
      splitmixAt(0, 1234567, i, out);
      expect(join(out)).toBe(value);
    });
  });

  it('splitmixAt is random access: output i does not depend on having computed i − 1', () => {
    const s = XS[20];
    const forward: bigint[] = [];
    for (let i = 0; i < 50; i++) { splitmixAt(hiOf(s), loOf(s), i, out); forward.push(join(out)); }
    for (let i = 49; i >= 0; i--) { splitmixAt(hiOf(s), loOf(s), i, out); expect(join(out)).toBe(forward[i]); }
  });

  it('hex64 writes 16 lowercase hex digits, zero-padded, hi first', () => {
    expect(hex64(0, 0)).toBe('0000000000000000');
    expect(hex64(0xdeadbeef, 1)).toBe('deadbeef00000001');
    expect(hex64(1, 0xabc)).toBe('0000000100000abc');
    expect(hex64(-1, -2)).toBe('fffffffffffffffe'); // signed int32 bit patterns
    for (const x of XS.slice(0, 100)) expect(hex64(hiOf(x), loOf(x))).toBe(x.toString(16).padStart(16, '0'));
  });
});
