import type { Rng } from './rng.js';

/** Standard normal by the Box–Muller transform (one of the pair; simple and exact). */
export function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
}

/** Fills `x` with a point uniform on the unit sphere S^{d−1} (normalized Gaussian). */
export function sphere(rng: Rng, x: Float64Array): Float64Array {
  let norm2 = 0;
  do {
    norm2 = 0;
    for (let j = 0; j < x.length; j++) {
      x[j] = normal(rng);
      norm2 += x[j] * x[j];
    }
  } while (norm2 === 0);
  const inv = 1 / Math.sqrt(norm2);
  for (let j = 0; j < x.length; j++) x[j] *= inv;
  return x;
}
