import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Rng } from '../rng/rng.js';
import type { DenseNet } from './dense.js';

export type TargetKind = 'random' | 'worst' | 'fixed';

/**
 * ‖A‖₂ from an SVD (ml-matrix). Not a power iteration: that can underestimate by
 * 3·10⁻⁴ and break the norm constraint (THEORY.md §2).
 */
export function spectralNorm(values: Float64Array, rows: number, cols: number): number {
  const m = new Matrix(rows, cols);
  for (let a = 0; a < rows; a++) for (let b = 0; b < cols; b++) m.set(a, b, values[a * cols + b]);
  const svd = new SingularValueDecomposition(m, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return svd.diagonal[0];
}

/** Largest admissible entry of layer i: M_i = 1/√n_{i−1}. */
export function maxEntry(inputs: number): number {
  return 1 / Math.sqrt(inputs);
}

/** Divides by max(1, (1 + 10⁻⁹)·‖A‖₂) so that ‖W‖₂ ≤ 1; entries only shrink, so |W[a,b]| ≤ M_i still holds. */
function normalize(values: Float64Array, rows: number, cols: number): void {
  const scale = Math.max(1, (1 + 1e-9) * spectralNorm(values, rows, cols));
  if (scale > 1) for (let j = 0; j < values.length; j++) values[j] /= scale;
}

/** `random` (THEORY.md §2): A[a,b] ~ U[−M_i, M_i], then spectral normalization. */
function randomLayer(rng: Rng, rows: number, cols: number): Float64Array {
  const m = maxEntry(cols);
  const values = new Float64Array(rows * cols);
  for (let j = 0; j < values.length; j++) values[j] = m * rng.weight();
  normalize(values, rows, cols);
  return values;
}

/** Sylvester–Hadamard entry H[r][c] = (−1)^popcount(r & c). */
function hadamardSign(r: number, c: number): number {
  let x = r & c, parity = 0;
  while (x) { parity ^= 1; x &= x - 1; }
  return parity ? -1 : 1;
}

/**
 * `worst` (THEORY.md §2): every entry ±M_i. When n_{i−1} is a power of two and
 * n_i ≤ n_{i−1}, the rows are n_i distinct rows of the Sylvester–Hadamard matrix
 * (chosen at random) with random column signs: orthogonal rows of norm √n_{i−1}·M_i = 1,
 * so ‖W_i‖₂ = 1 exactly. Otherwise random signs, normalized like `random`.
 */
function worstLayer(rng: Rng, rows: number, cols: number): Float64Array {
  const m = maxEntry(cols);
  const values = new Float64Array(rows * cols);
  const powerOfTwo = (cols & (cols - 1)) === 0;
  if (powerOfTwo && rows <= cols) {
    const order = Array.from({ length: cols }, (_, j) => j);
    for (let j = 0; j < rows; j++) { // partial Fisher–Yates: rows distinct Hadamard rows
      const pick = j + Math.floor(rng.next() * (cols - j));
      [order[j], order[pick]] = [order[pick], order[j]];
    }
    const columnSign = Array.from({ length: cols }, () => (rng.next() < 0.5 ? -1 : 1));
    for (let a = 0; a < rows; a++) for (let b = 0; b < cols; b++) values[a * cols + b] = m * hadamardSign(order[a], b) * columnSign[b];
    return values;
  }
  for (let j = 0; j < values.length; j++) values[j] = rng.next() < 0.5 ? -m : m;
  normalize(values, rows, cols);
  return values;
}

/**
 * A target F with widths [d, n, …, n, out] (l layers) satisfying ‖W_i‖₂ ≤ 1 and
 * |W_i[a,b]| ≤ 1/√n_{i−1}. `fixed` uses `random` layers drawn from a cell-level stream
 * (the caller passes it), so every seed of the cell sees the same F.
 */
export function sampleTarget(kind: TargetKind, widths: number[], rng: Rng): DenseNet {
  const layers: Float64Array[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const rows = widths[i + 1], cols = widths[i];
    layers.push(kind === 'worst' ? worstLayer(rng, rows, cols) : randomLayer(rng, rows, cols));
  }
  return { widths, layers };
}

/** [d, n, …, n, out] for a depth-l target. */
export function targetWidths(d: number, n: number, l: number, out: number): number[] {
  const widths = [d];
  for (let i = 1; i < l; i++) widths.push(n);
  widths.push(out);
  return widths;
}
