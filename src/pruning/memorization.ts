import { Matrix, EigenvalueDecomposition } from 'ml-matrix';
import type { Rng } from '../rng/rng.js';
import { sphereKernel, sphereGram } from '../nn/kernel.js';
import { NormalSampler, drawSpherePoint } from '../rng/ziggurat.js';
import { roundingScale, keepProbability } from './neuron-selection.js';

/**
 * Finite-sample memorization by neuron pruning (THEORY.md §9): m points x_j on the unit
 * sphere with labels y_j ∈ [−1, 1]; a random 2-layer ReLU net of width k, w_i uniform on
 * S^{d−1}, u_i ~ U[−1, 1]; β = H⁻¹y with the sphere kernel H; α(w) = Σ_j β_j σ(⟨w, x_j⟩);
 * C = ‖β‖₁; keep neuron i with probability ½ + α(w_i)·u_i/(2C); c = 6C/k.
 */

export type PointKind = 'uniform' | 'clustered';
export type LabelKind = 'sign' | 'uniform';

/**
 * m points on S^{d−1} into `out` (m × d). "uniform": i.i.d. uniform. "clustered" (a choice):
 * `clusters` centers uniform on S; point j belongs to center j mod clusters and is
 * normalize(center + R·b), b uniform in the unit ball, R = 2·separation·⌈m/clusters⌉^{1/(d−1)}
 * (room for the points of a cluster), redrawn until it is at Euclidean distance ≥ `separation`
 * from every earlier point. Close, positively near-parallel points make H near-singular.
 */
export function samplePoints(rng: Rng, kind: PointKind, m: number, d: number, separation: number, clusters: number, out: Float64Array): void {
  const normals = new NormalSampler(rng);
  if (kind === 'uniform') {
    for (let j = 0; j < m; j++) drawSpherePoint(normals, out, j * d, d);
    return;
  }
  const centers = new Float64Array(clusters * d);
  for (let a = 0; a < clusters; a++) drawSpherePoint(normals, centers, a * d, d);
  const radius = 2 * separation * Math.pow(Math.ceil(m / clusters), 1 / Math.max(1, d - 1));
  const ball = new Float64Array(d);
  for (let j = 0; j < m; j++) {
    const center = (j % clusters) * d;
    let attempts = 0;
    for (;;) {
      if (++attempts > 100000) throw new Error(`memorize: cannot place ${m} clustered points at separation ${separation} in d = ${d} (point ${j})`);
      drawSpherePoint(normals, ball, 0, d);
      const r = radius * Math.pow(rng.next(), 1 / d);
      let norm2 = 0;
      for (let c = 0; c < d; c++) {
        const x = centers[center + c] + r * ball[c];
        out[j * d + c] = x;
        norm2 += x * x;
      }
      if (norm2 === 0) continue;
      const inv = 1 / Math.sqrt(norm2);
      for (let c = 0; c < d; c++) out[j * d + c] *= inv;
      if (minDistance(out, j, d) >= separation) break;
    }
  }
}

function minDistance(points: Float64Array, j: number, d: number): number {
  let min = Infinity;
  for (let l = 0; l < j; l++) {
    let s = 0;
    for (let c = 0; c < d; c++) {
      const diff = points[j * d + c] - points[l * d + c];
      s += diff * diff;
    }
    min = Math.min(min, Math.sqrt(s));
  }
  return min;
}

/** Labels: "sign" ±1 with probability ½ each, "uniform" U[−1, 1]. */
export function sampleLabels(rng: Rng, kind: LabelKind, m: number, out: Float64Array): void {
  for (let j = 0; j < m; j++) out[j] = kind === 'sign' ? (rng.next() < 0.5 ? -1 : 1) : rng.weight();
}

export interface Interpolant {
  /** H_jl = H(x_j, x_l), row-major m × m (closed-form ReLU sphere kernel). */
  gram: Float64Array;
  lambdaMin: number;
  /** β = H⁻¹y (from the eigendecomposition), or null when H is numerically singular. */
  beta: Float64Array | null;
  /** C = ‖β‖₁ (Infinity when singular). */
  C: number;
}

/** λ_min(H) and β = H⁻¹y through ml-matrix's symmetric eigendecomposition H = V·Λ·Vᵀ. */
export function interpolate(points: Float64Array, labels: Float64Array, m: number, d: number): Interpolant {
  const gram = sphereGram(sphereKernel('relu', d), points, m, d);
  const rows: number[][] = [];
  for (let j = 0; j < m; j++) rows.push(Array.from(gram.subarray(j * m, (j + 1) * m)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const lambdas = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const lambdaMin = Math.min(...lambdas), lambdaMax = Math.max(...lambdas);
  if (!(lambdaMin > 1e-13 * lambdaMax)) return { gram, lambdaMin, beta: null, C: Infinity };
  const beta = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    let projection = 0;
    for (let j = 0; j < m; j++) projection += vectors.get(j, e) * labels[j];
    projection /= lambdas[e];
    for (let j = 0; j < m; j++) beta[j] += vectors.get(j, e) * projection;
  }
  let C = 0;
  for (let j = 0; j < m; j++) C += Math.abs(beta[j]);
  return { gram, lambdaMin, beta, C };
}

/** §9's Hoeffding width with the realized C: ⌈72·C²·ln(2m/δ)/ε²⌉. */
export function memorizeTheoryWidth(C: number, m: number, epsilon: number, delta: number): number {
  return Math.ceil((72 * C * C * Math.log((2 * m) / delta)) / (epsilon * epsilon));
}

/** The same with C ≤ m/λ: ⌈72·m²·ln(2m/δ)/(λ²·ε²)⌉. */
export function memorizeLambdaWidth(lambdaMin: number, m: number, epsilon: number, delta: number): number {
  return Math.ceil((72 * m * m * Math.log((2 * m) / delta)) / (lambdaMin * lambdaMin * epsilon * epsilon));
}

/** The outcome of one or more roundings of one random network. */
export interface RoundedNetwork {
  /** c·ḡ(x_j) for selection r at offset r·m. */
  outputs: Float64Array;
  /** Neurons kept by selection r. */
  kept: Float64Array;
  c: number;
  /** With `record`: the kept neurons of each selection as drawn (index, w, u). */
  keptNeurons?: { index: number; w: Float64Array; u: number }[][];
}

/**
 * Draws a width-k network from `network` (neuron by neuron: d normals for w, normalized,
 * then u) and applies `roundings.length` independent selections to it in one pass
 * (selection r keeps neuron i when the i-th uniform of roundings[r] is below π_i). Every
 * neuron is evaluated at every point (nothing can be skipped: α(w) needs all m features).
 */
export function roundedNetwork(
  network: Rng, roundings: Rng[],
  points: Float64Array, m: number, d: number,
  beta: Float64Array, C: number, k: number,
  record = false,
): RoundedNetwork {
  const selections = roundings.length;
  const normals = new NormalSampler(network);
  const w = new Float64Array(d), feature = new Float64Array(m);
  const sums = new Float64Array(selections * m), kept = new Float64Array(selections);
  const keptNeurons = record ? roundings.map(() => [] as { index: number; w: Float64Array; u: number }[]) : undefined;
  for (let i = 0; i < k; i++) {
    drawSpherePoint(normals, w, 0, d);
    const u = network.weight();
    let alpha = 0;
    for (let j = 0; j < m; j++) {
      let s = 0;
      const base = j * d;
      for (let c = 0; c < d; c++) s += w[c] * points[base + c];
      const f = s > 0 ? s : 0;
      feature[j] = f;
      alpha += beta[j] * f;
    }
    const pi = keepProbability(alpha, u, C);
    for (let r = 0; r < selections; r++) {
      if (roundings[r].next() < pi) {
        kept[r]++;
        const base = r * m;
        for (let j = 0; j < m; j++) sums[base + j] += u * feature[j];
        if (keptNeurons) keptNeurons[r].push({ index: i, w: Float64Array.from(w), u });
      }
    }
  }
  const c = roundingScale(C, k);
  for (let j = 0; j < sums.length; j++) sums[j] *= c;
  return { outputs: sums, kept, c, keptNeurons };
}
