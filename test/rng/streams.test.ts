/**
 * Named substreams (DESIGN.md "Determinism"): every (seed, name, indices) has its own
 * generator; the derivation is pinned against a BigInt reference so that results stay
 * reproducible across versions.
 */
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { Streams, cellSeed, parseHex64 } from '../../src/rng/streams.js';
import { Rng } from '../../src/rng/rng.js';
import type { Rng as RngType } from '../../src/rng/rng.js';
import { MASK, GAMMA, mixRef } from '../support/splitmix-ref.js';

const toBig = (hi: number, lo: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** DESIGN.md's derivation, in BigInt: seed = splitmix64 output i of the cell hash;
 *  stream = mix(seed ^ sha256('stream:' + name)[0..8]), then for each index x: mix(h + (x + 1)·γ). */
function refStreamSeed(cell: [number, number], seedIndex: number, name: string, indices: number[]): bigint {
  const seed = mixRef((toBig(...cell) + BigInt(seedIndex + 1) * GAMMA) & MASK);
  const nh = createHash('sha256').update('stream:' + name).digest().readBigUInt64BE(0);
  let h = mixRef(seed ^ nh);
  for (const x of indices) h = mixRef((h + BigInt(x + 1) * GAMMA) & MASK);
  return h;
}

function draw(rng: RngType, n: number): number[] {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(rng.next());
  return xs;
}

const CELL = cellSeed('20250101', 'weight-lemma', '{"w":0.5}');

describe('Streams', () => {
  it('forSeed and get follow the documented splitmix64 derivation', () => {
    const cases: Array<[number, string, number[]]> = [
      [0, 'block', []], [1, 'block', [0, 1, 2]], [7, 'target', []], [123456, 'block', [3, 0, 2 ** 33]], [2 ** 32 + 9, 'x', [0]],
    ];
    for (const [i, name, idx] of cases) {
      const s = Streams.forSeed(CELL[0], CELL[1], i);
      const ref = refStreamSeed(CELL, i, name, idx);
      const expected = new Rng(Number(ref >> 32n), Number(ref & 0xffffffffn));
      expect(draw(s.get(name, ...idx), 20), `${i} ${name} ${idx}`).toEqual(draw(expected, 20));
    }
  });

  it('different names and index tuples give different streams', () => {
    const s = Streams.forSeed(CELL[0], CELL[1], 3);
    const variants: RngType[] = [
      s.get('a'), s.get('b'), s.get('block'), s.get('block', 0), s.get('block', 1), s.get('block', 0, 1, 2),
      s.get('block', 0, 2, 1), s.get('block', 1, 0, 2), s.get('block', 0, 1), s.get('block', 0, 1, 2, 0),
    ];
    const firsts = variants.map((r) => draw(r, 4).join(','));
    expect(new Set(firsts).size).toBe(variants.length);
  });

  it('different seed indices of one cell, and different cells, give different streams', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(draw(Streams.forSeed(CELL[0], CELL[1], i).get('block'), 2).join(','));
    const other = cellSeed('20250101', 'weight-lemma', '{"w":0.25}');
    for (let i = 0; i < 1000; i++) seen.add(draw(Streams.forSeed(other[0], other[1], i).get('block'), 2).join(','));
    expect(seen.size).toBe(2000);
  });

  it('a stream depends only on (seed, name, indices), not on which streams were used before or how far', () => {
    const names: Array<[string, number[]]> = [['a', []], ['b', []], ['block', [0, 1, 2]], ['block', [0, 2, 1]], ['target', []]];
    const s1 = Streams.forSeed(CELL[0], CELL[1], 42);
    const forward = names.map(([n, idx]) => draw(s1.get(n, ...idx), 50));
    // reverse order, on a fresh Streams object, interleaving draws between live generators
    const s2 = Streams.forSeed(CELL[0], CELL[1], 42);
    const gens = [...names].reverse().map(([n, idx]) => s2.get(n, ...idx));
    const got: number[][] = gens.map(() => []);
    for (let t = 0; t < 50; t++) gens.forEach((g, j) => got[j].push(g.next()));
    expect(got.reverse()).toEqual(forward);
    // and get() twice gives two generators that start at the same place
    const again = s1.get('block', 0, 1, 2);
    draw(s1.get('block', 0, 1, 2), 1000);
    expect(draw(again, 50)).toEqual(forward[2]);
  });

  it('seed i of a cell does not depend on having derived seeds 0..i−1', () => {
    const late = draw(Streams.forSeed(CELL[0], CELL[1], 999).get('block'), 10);
    for (let i = 0; i < 999; i++) Streams.forSeed(CELL[0], CELL[1], i).get('block').next();
    expect(draw(Streams.forSeed(CELL[0], CELL[1], 999).get('block'), 10)).toEqual(late);
  });

  it('cellSeed is deterministic and sensitive to each argument and to where the separators fall', () => {
    const base = cellSeed('1', 'weight-lemma', 'w=0.5');
    expect(cellSeed('1', 'weight-lemma', 'w=0.5')).toEqual(base);
    const variants = [
      cellSeed('2', 'weight-lemma', 'w=0.5'), cellSeed('1', 'weight-lemmb', 'w=0.5'), cellSeed('1', 'weight-lemma', 'w=0.6'),
      cellSeed('1w', 'eight-lemma', 'w=0.5'), cellSeed('1', 'weight-lemmaw', '=0.5'), cellSeed('', '1weight-lemma', 'w=0.5'),
    ];
    for (const v of variants) expect(v).not.toEqual(base);
    for (const [h, l] of [base, ...variants]) {
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      expect(Number.isInteger(l) && l >= 0 && l < 2 ** 32).toBe(true);
    }
  });

  it('parseHex64(streams.hex) round-trips to the same seed and the same substreams', () => {
    for (let i = 0; i < 200; i++) {
      const s = Streams.forSeed(CELL[0], CELL[1], i * 7919);
      expect(s.hex).toMatch(/^[0-9a-f]{16}$/);
      const [h, l] = parseHex64(s.hex);
      expect([h, l]).toEqual([s.seedHi >>> 0, s.seedLo >>> 0]);
      const replay = new Streams(h, l);
      expect(replay.hex).toBe(s.hex);
      expect(draw(replay.get('block', 0, 1), 5)).toEqual(draw(s.get('block', 0, 1), 5));
    }
    expect(parseHex64('ffffffffffffffff')).toEqual([0xffffffff, 0xffffffff]);
    expect(parseHex64('0000000100000002')).toEqual([1, 2]);
  });
});
