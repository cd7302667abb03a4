import type { Rng } from '../rng/rng.js';

/**
 * Standard normals by the ziggurat method in Doornik's ZIGNOR form (J. A. Doornik, "An
 * Improved Ziggurat Method to Generate Normal Random Samples", 2005): 128 layers, exact
 * (rectangles accepted at once, wedges and the tail |x| > R by rejection). The layer index
 * comes from the 11 bits that `Rng.next()` drops from its two 32-bit words, so it is
 * independent of the uniform u (the flaw of the original Marsaglia–Tsang code, where they
 * share bits). About 4× faster than Box–Muller, which matters where every neuron of a wide
 * net draws d normals (`memorize` at k = 10^6–10^8).
 *
 * Draws are strictly sequential in the stream, so the first K values never depend on how
 * many are drawn later: neuron i of a width-k network is the same for every k.
 */
const LAYERS = 128;
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const ZIG_X = new Float64Array(LAYERS + 1);
const ZIG_RATIO = new Float64Array(LAYERS);
{
  let f = Math.exp(-0.5 * ZIG_R * ZIG_R);
  ZIG_X[0] = ZIG_V / f; // the bottom layer: rectangle of area V plus the tail
  ZIG_X[1] = ZIG_R;
  ZIG_X[LAYERS] = 0;
  for (let i = 2; i < LAYERS; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(ZIG_V / ZIG_X[i - 1] + f));
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (let i = 0; i < LAYERS; i++) ZIG_RATIO[i] = ZIG_X[i + 1] / ZIG_X[i];
}
const TWO_POW_53 = 9007199254740992;

export class NormalSampler {
  constructor(readonly rng: Rng) {}

  next(): number {
    const rng = this.rng;
    for (;;) {
      const a = rng.nextU32(), b = rng.nextU32();
      // the same 53-bit uniform as Rng.next(), mapped to [−1, 1); the 7 low bits pick the layer
      const u = (2 * ((a >>> 5) * 67108864 + (b >>> 6))) / TWO_POW_53 - 1;
      const i = (a & 31) | ((b & 3) << 5);
      if (Math.abs(u) < ZIG_RATIO[i]) return u * ZIG_X[i];
      if (i === 0) return tail(rng, u < 0);
      const x = u * ZIG_X[i];
      const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
      const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
      if (f1 + rng.next() * (f0 - f1) < 1) return x;
    }
  }
}

/** The normal tail beyond R (Marsaglia 1964), signed. */
function tail(rng: Rng, negative: boolean): number {
  let x: number, y: number;
  do {
    x = Math.log(rng.nextOpen()) / ZIG_R;
    y = Math.log(rng.nextOpen());
  } while (-2 * y < x * x);
  return negative ? x - ZIG_R : ZIG_R - x;
}

/** Writes a point uniform on the unit sphere S^{d−1} (a normalized Gaussian) into out[offset .. offset + d). */
export function drawSpherePoint(normals: NormalSampler, out: Float64Array, offset: number, d: number): void {
  let norm2 = 0;
  do {
    norm2 = 0;
    for (let j = 0; j < d; j++) {
      const g = normals.next();
      out[offset + j] = g;
      norm2 += g * g;
    }
  } while (norm2 === 0);
  const inv = 1 / Math.sqrt(norm2);
  for (let j = 0; j < d; j++) out[offset + j] *= inv;
}

/** Fills rows [0, rows) of the row-major `out` (rows × d) with points uniform on S^{d−1}, in row order. */
export function fillSphereRows(normals: NormalSampler, out: Float64Array, rows: number, d: number): void {
  for (let r = 0; r < rows; r++) drawSpherePoint(normals, out, r * d, d);
}
