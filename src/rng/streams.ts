import { createHash } from 'node:crypto';
import { Rng } from './rng.js';
import { mix64, mul64, add64, GAMMA_HI, GAMMA_LO, splitmixAt, hex64 } from './splitmix64.js';

const tmp = new Uint32Array(2);
const nameHashes = new Map<string, Uint32Array>();

/** 64-bit hash of a substream name (sha256, cached: names are few and fixed). */
function nameHash(name: string): Uint32Array {
  let h = nameHashes.get(name);
  if (h === undefined) {
    const digest = createHash('sha256').update('stream:' + name).digest();
    h = new Uint32Array([digest.readUInt32BE(0), digest.readUInt32BE(4)]);
    nameHashes.set(name, h);
  }
  return h;
}

/**
 * The named substreams of one seed (DESIGN.md "Determinism"). Every independent
 * part of a seed draws from its own stream, derived from (seed, name, indices) by
 * splitmix64 mixing, so how far one block is scanned never shifts another, and
 * cells that share a structural key and seed index see identical streams.
 */
export class Streams {
  constructor(
    readonly seedHi: number,
    readonly seedLo: number,
    /** The cell's own hash, for cell-level draws shared by all its seeds (a `fixed` target). */
    readonly cellHi = 0,
    readonly cellLo = 0,
  ) {}

  /** Seed i of a cell whose structural key hashes to (cellHi, cellLo). */
  static forSeed(cellHi: number, cellLo: number, seedIndex: number): Streams {
    splitmixAt(cellHi, cellLo, seedIndex, tmp);
    return new Streams(tmp[0], tmp[1], cellHi, cellLo);
  }

  /** A generator that depends on the cell and `name` only, not on the seed index. */
  cellStream(name: string): Rng {
    return new Streams(this.cellHi, this.cellLo).get('cell:' + name);
  }

  /** The derived seed as 16 hex digits (the `seed_hex` column). */
  get hex(): string {
    return hex64(this.seedHi, this.seedLo);
  }

  /** A fresh generator for substream `name` with optional integer indices (layer, a, b, …). */
  get(name: string, ...indices: number[]): Rng {
    const nh = nameHash(name);
    mix64((this.seedHi ^ nh[0]) >>> 0, (this.seedLo ^ nh[1]) >>> 0, tmp);
    for (let j = 0; j < indices.length; j++) {
      const x = indices[j] + 1;
      const h = tmp[0], l = tmp[1];
      mul64(Math.floor(x / 0x100000000) >>> 0, x >>> 0, GAMMA_HI, GAMMA_LO, tmp);
      add64(h, l, tmp[0], tmp[1], tmp);
      mix64(tmp[0], tmp[1], tmp);
    }
    return new Rng(tmp[0], tmp[1]);
  }
}

/**
 * 64-bit hash of a cell's randomness identity: (master seed, experiment,
 * canonical structural key). Computed once per cell (sha256 costs ≈ 1.5 µs, as
 * much as a whole seed), then seeds are derived from it with splitmix64.
 */
export function cellSeed(masterSeed: string, experiment: string, structuralKey: string): [number, number] {
  const digest = createHash('sha256').update(`${masterSeed}\u0000${experiment}\u0000${structuralKey}`).digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}

/** Parses 16 hex digits back into (hi, lo) (for `lth replay` and tests). */
export function parseHex64(hex: string): [number, number] {
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0];
}
