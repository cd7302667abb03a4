import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Rng } from '../rng/rng.js';
import type { DenseNet } from './dense.js';

export type TargetKind = 'random' | 'worst' | 'sign' | 'fixed';

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

/** Random signs ±1, one uniform each. */
function randomSigns(rng: Rng, count: number): Int8Array {
  const signs = new Int8Array(count);
  for (let j = 0; j < count; j++) signs[j] = rng.next() < 0.5 ? -1 : 1;
  return signs;
}

/**
 * Why a rows × cols layer (n_i × n_{i−1}) has no exact ±M_i construction, or null when it
 * has one (THEORY.md §2): a ±M_i matrix has ‖W‖₂ ≤ 1 only when its rows are orthogonal;
 * we build n_i = 1 (any signs), n_i = 2 with n_{i−1} even, and Sylvester shapes
 * (n_{i−1} a power of two, n_i ≤ n_{i−1}).
 */
export function worstShapeProblem(rows: number, cols: number): string | null {
  if (rows === 1 || (rows === 2 && cols % 2 === 0)) return null;
  if ((cols & (cols - 1)) === 0 && rows <= cols) return null;
  if (rows > cols) return `n_i > n_{i−1}: no ±M_i matrix has ‖W_i‖₂ ≤ 1`;
  if (rows === 2) return 'n_i = 2 needs n_{i−1} even';
  return cols % 4 === 0 ? 'a Hadamard matrix of this order exists but is not built (only Sylvester: n_{i−1} a power of two)' : 'n_i ≥ 3 needs 4 | n_{i−1}';
}

/**
 * `worst` (THEORY.md §2): every entry exactly ±M_i with orthonormal rows scaled by M_i, so
 * ‖W_i‖₂ = 1 (up to rounding) and no entry is shrunk:
 * - n_{i−1} a power of two, n_i ≤ n_{i−1}: n_i distinct rows of the Sylvester–Hadamard
 *   matrix (chosen at random) with random column signs;
 * - n_i = 1: random signs;
 * - n_i = 2, n_{i−1} even: a random sign row s and s·t with t a random balanced ±1 vector
 *   (Σ t = 0 makes the rows orthogonal).
 * Other shapes are refused (worstShapeProblem); resolve() names the layer.
 */
function worstLayer(rng: Rng, rows: number, cols: number): Float64Array {
  const problem = worstShapeProblem(rows, cols);
  if (problem) throw new Error(`target "worst": no exact ±M construction for a ${rows} × ${cols} layer (${problem})`);
  const m = maxEntry(cols);
  const values = new Float64Array(rows * cols);
  if ((cols & (cols - 1)) === 0 && rows <= cols) {
    const order = Array.from({ length: cols }, (_, j) => j);
    for (let j = 0; j < rows; j++) { // partial Fisher–Yates: rows distinct Hadamard rows
      const pick = j + Math.floor(rng.next() * (cols - j));
      [order[j], order[pick]] = [order[pick], order[j]];
    }
    const columnSign = Array.from({ length: cols }, () => (rng.next() < 0.5 ? -1 : 1));
    for (let a = 0; a < rows; a++) for (let b = 0; b < cols; b++) values[a * cols + b] = m * hadamardSign(order[a], b) * columnSign[b];
    return values;
  }
  const s = randomSigns(rng, cols);
  for (let b = 0; b < cols; b++) values[b] = m * s[b];
  if (rows === 2) {
    const t = Int8Array.from({ length: cols }, (_, b) => (b < cols / 2 ? 1 : -1));
    for (let j = cols - 1; j > 0; j--) { // Fisher–Yates: a uniformly random balanced vector
      const pick = Math.floor(rng.next() * (j + 1));
      [t[j], t[pick]] = [t[pick], t[j]];
    }
    for (let b = 0; b < cols; b++) values[cols + b] = m * s[b] * t[b];
  }
  return values;
}

/** `sign` (THEORY.md §2): random ±M_i entries rescaled like `random` (any shape; not a worst case). */
function signLayer(rng: Rng, rows: number, cols: number): Float64Array {
  const m = maxEntry(cols);
  const values = new Float64Array(rows * cols);
  for (let j = 0; j < values.length; j++) values[j] = rng.next() < 0.5 ? -m : m;
  normalize(values, rows, cols);
  return values;
}

/** The first layer (1-based) of a `worst` target without an exact construction, named with its shape; null when all have one. */
export function worstTargetProblem(widths: number[]): string | null {
  for (let i = 0; i + 1 < widths.length; i++) {
    const rows = widths[i + 1], cols = widths[i];
    const problem = worstShapeProblem(rows, cols);
    if (problem) {
      return `target "worst" has no exact ±M_i construction for layer ${i + 1} (n_${i + 1} × n_${i} = ${rows} × ${cols}: ${problem}); ` +
        'it is built for n_i = 1, n_i = 2 with n_{i−1} even, and n_{i−1} a power of two with n_i ≤ n_{i−1}; use target "random" or "sign"';
    }
  }
  return null;
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
    layers.push(kind === 'worst' ? worstLayer(rng, rows, cols) : kind === 'sign' ? signLayer(rng, rows, cols) : randomLayer(rng, rows, cols));
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
