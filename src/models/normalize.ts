import type { DenseNet } from '../nn/dense.js';
import { spectralNorm } from '../nn/target.js';
import type { TrainedNet } from './trained-net.js';
import { hasBiases } from './trained-net.js';

/**
 * A trained net moved into THEORY.md §2's class by the three exact steps of §2b:
 * F̂(x̂) = f(x)/S with x̂ = (x, ρ)/R (biases) or x/R (none), S = R·Π s_i.
 */
export interface NormalizedTarget {
  /** F̂: bias-free, ‖Ŵ_i‖₂ ≤ 1 and max|Ŵ_i| ≤ 1/√n_{i−1} (augmented widths). */
  net: DenseNet;
  /** Whether step 1 ran (the file had biases): inputs gain the constant coordinate ρ. */
  augmented: boolean;
  /** ρ = ρ_0, the constant input coordinate (0 without biases). */
  rho: number;
  /** ρ_{i} for i = 0 … l−1: the constant carried into layer i+1 (empty without biases). */
  rhos: number[];
  /** γ_i of the constant neuron of hidden layer i (empty without biases). */
  gammas: number[];
  /** R = max ‖x̃‖ over the data. */
  R: number;
  /** s_i per layer. */
  layerScales: number[];
  /** S = R·Π s_i: f(x) = S·F̂(x̂). */
  S: number;
}

/** max(‖W‖₂·(1 + 10⁻⁹), √cols·max|W|): dividing by it puts W inside §2's constraints (SVD, as in §2). */
export function constraintScale(values: Float64Array, rows: number, cols: number): number {
  let maxAbs = 0;
  for (let j = 0; j < values.length; j++) maxAbs = Math.max(maxAbs, Math.abs(values[j]));
  if (maxAbs === 0) return 1; // an all-zero layer: any positive scale keeps it admissible
  return Math.max((1 + 1e-9) * spectralNorm(values, rows, cols), Math.sqrt(cols) * maxAbs);
}

/**
 * Step 1 of §2b: W̃_i = [[A_i, c_i/ρ_{i−1}], [0…0, γ_i]] for hidden layers and
 * W̃_l = [A_l, c_l/ρ_{l−1}], with the given ρ_i and γ_i; without `rhos` (no biases) the
 * weights unchanged. Row-major, widths [d+1, n_1+1, …, out] or the plain widths.
 */
export function augmentedLayers(net: TrainedNet, rhos: number[] | null, gammas: number[] | null): DenseNet {
  const l = net.layers.length;
  const widths = [net.layers[0].cols + (rhos ? 1 : 0)];
  const layers = net.layers.map((layer, i) => {
    if (!rhos) { widths.push(layer.rows); return Float64Array.from(layer.weight); }
    const cols = layer.cols + 1, rows = layer.rows + (i < l - 1 ? 1 : 0);
    const w = new Float64Array(rows * cols);
    for (let a = 0; a < layer.rows; a++) {
      for (let b = 0; b < layer.cols; b++) w[a * cols + b] = layer.weight[a * layer.cols + b];
      w[a * cols + layer.cols] = (layer.bias ? layer.bias[a] : 0) / rhos[i];
    }
    if (i < l - 1) w[(rows - 1) * cols + layer.cols] = gammas![i];
    widths.push(rows);
    return w;
  });
  return { widths, layers };
}

/**
 * §2b for a trained net whose data points have largest norm `maxNorm` (over every point
 * at which errors or accuracies are measured). γ_i = t_i/√n with t_i the constraint scale of
 * [A_i, c_i/ρ_{i−1}] and n its (augmented) input width, so the constant neuron never sets s_i.
 */
export function normalizeTarget(net: TrainedNet, maxNorm: number): NormalizedTarget {
  if (!(maxNorm > 0)) throw new Error('normalizeTarget: the data points must not all be 0');
  const augmented = hasBiases(net);
  const rhos: number[] = [], gammas: number[] = [];
  if (augmented) {
    rhos.push(maxNorm);
    net.layers.forEach((layer, i) => {
      if (i === net.layers.length - 1) return;
      const top = augmentedLayers({ file: net.file, layers: [{ ...layer }] }, [rhos[i]], null).layers[0]; // [A_i, c_i/ρ_{i−1}]
      const gamma = constraintScale(top, layer.rows, layer.cols + 1) / Math.sqrt(layer.cols + 1);
      gammas.push(gamma);
      rhos.push(gamma * rhos[i]);
    });
  }
  const tilde = augmentedLayers(net, augmented ? rhos : null, augmented ? gammas : null);
  const R = augmented ? Math.sqrt(2) * maxNorm : maxNorm; // max ‖(x, ρ)‖ = √(max‖x‖² + ρ²) with ρ = max‖x‖
  const layerScales = tilde.layers.map((w, i) => constraintScale(w, tilde.widths[i + 1], tilde.widths[i]));
  const layers = tilde.layers.map((w, i) => w.map((x) => x / layerScales[i]));
  const S = layerScales.reduce((x, s) => x * s, R);
  return { net: { widths: tilde.widths, layers }, augmented, rho: augmented ? maxNorm : 0, rhos, gammas, R, layerScales, S };
}

/** The same steps with the target's ρ_i, γ_i, s_i applied to another net of its shape (the direct construction's result). */
export function normalizeLike(target: NormalizedTarget, net: TrainedNet): DenseNet {
  const tilde = augmentedLayers(net, target.augmented ? target.rhos : null, target.augmented ? target.gammas : null);
  return { widths: tilde.widths, layers: tilde.layers.map((w, i) => w.map((x) => x / target.layerScales[i])) };
}

/** x̂ for N points (row-major N × d in `X`), written feature-major (x̂[j·N + p]) as the batch forwards read them. */
export function normalizeInputs(target: NormalizedTarget, X: Float64Array, N: number, d: number): Float64Array {
  const width = d + (target.augmented ? 1 : 0);
  const out = new Float64Array(width * N);
  for (let p = 0; p < N; p++) {
    for (let j = 0; j < d; j++) out[j * N + p] = X[p * d + j] / target.R;
    if (target.augmented) out[d * N + p] = target.rho / target.R;
  }
  return out;
}
