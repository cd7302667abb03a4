import { type Activation, applyActivation } from './activations.js';

/**
 * Dense random-features kernels (THEORY.md §8): a model f(x) = Σ_i a_i·σ(⟨w_i, x⟩) over
 * n features w_i (row-major n × d) evaluated at N points (row-major N × d).
 * Everything writes into caller-owned Float64Array buffers: no allocation, no closure
 * in the loops (σ is applied by `applyActivation`, one switch a buffer).
 */

/**
 * Φ[p·n + i] = σ(⟨w_i, x_p⟩) for p < N, i < n: the features × points kernel (2·N·n·d flops).
 * Four features a pass share each load of x_p (register blocking: about 2× the plain loop
 * here, with the same summation order, so the same bits).
 */
export function featureMatrix(
  activation: Activation,
  features: Float64Array, n: number,
  points: Float64Array, N: number,
  d: number,
  out: Float64Array,
): void {
  const n4 = n - (n % 4);
  for (let p = 0; p < N; p++) {
    const xBase = p * d, oBase = p * n;
    let i = 0;
    for (; i < n4; i += 4) {
      const w0 = i * d, w1 = w0 + d, w2 = w1 + d, w3 = w2 + d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let c = 0; c < d; c++) {
        const x = points[xBase + c];
        s0 += features[w0 + c] * x;
        s1 += features[w1 + c] * x;
        s2 += features[w2 + c] * x;
        s3 += features[w3 + c] * x;
      }
      out[oBase + i] = s0;
      out[oBase + i + 1] = s1;
      out[oBase + i + 2] = s2;
      out[oBase + i + 3] = s3;
    }
    for (; i < n; i++) {
      const wBase = i * d;
      let s = 0;
      for (let c = 0; c < d; c++) s += features[wBase + c] * points[xBase + c];
      out[oBase + i] = s;
    }
  }
  applyActivation(activation, out, N * n);
}

/**
 * The normal equations of least squares on the features: G = ΦᵀΦ/N (n × n, both
 * triangles filled) and b = Φᵀy/N. Fitting then iterates in n dimensions only
 * (THEORY.md §8, last bullet): O(N·n²) once instead of O(N·n) per iteration.
 */
export function normalEquations(phi: Float64Array, N: number, n: number, y: Float64Array, gram: Float64Array, moment: Float64Array): void {
  gram.fill(0, 0, n * n);
  moment.fill(0, 0, n);
  for (let p = 0; p < N; p++) {
    const base = p * n, yp = y[p];
    let i = 0;
    // two rows of the lower triangle a pass share each load of Φ[p, j] (≈ 1.7× the plain loop)
    for (; i + 1 < n; i += 2) {
      const fa = phi[base + i], fb = phi[base + i + 1];
      moment[i] += fa * yp;
      moment[i + 1] += fb * yp;
      const ra = i * n, rb = ra + n;
      for (let j = 0; j <= i; j++) {
        const f = phi[base + j];
        gram[ra + j] += fa * f;
        gram[rb + j] += fb * f;
      }
      gram[rb + i + 1] += fb * fb;
    }
    if (i < n) {
      const fi = phi[base + i];
      moment[i] += fi * yp;
      const row = i * n;
      for (let j = 0; j <= i; j++) gram[row + j] += fi * phi[base + j];
    }
  }
  const inv = 1 / N;
  for (let i = 0; i < n; i++) {
    moment[i] *= inv;
    for (let j = 0; j <= i; j++) {
      const g = gram[i * n + j] * inv;
      gram[i * n + j] = g;
      gram[j * n + i] = g;
    }
  }
}

/** out[p] = Σ_i coef[i]·Φ[p·n + i]: the model's outputs at the N points. */
export function modelOutputs(phi: Float64Array, N: number, n: number, coef: Float64Array, out: Float64Array): void {
  for (let p = 0; p < N; p++) {
    const base = p * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += coef[i] * phi[base + i];
    out[p] = s;
  }
}

export type Loss = 'squared' | 'absolute';

/** Mean loss of predictions against labels and its standard error (sample sd / √N, two passes). */
export function meanLoss(loss: Loss, predictions: Float64Array, labels: Float64Array, N: number): { mean: number; se: number } {
  let sum = 0;
  for (let p = 0; p < N; p++) sum += pointLoss(loss, predictions[p] - labels[p]);
  const mean = sum / N;
  let squares = 0;
  for (let p = 0; p < N; p++) {
    const dev = pointLoss(loss, predictions[p] - labels[p]) - mean;
    squares += dev * dev;
  }
  return { mean, se: N > 1 ? Math.sqrt(squares / (N - 1) / N) : 0 };
}

function pointLoss(loss: Loss, residual: number): number {
  return loss === 'squared' ? residual * residual : Math.abs(residual);
}
