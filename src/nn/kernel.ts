import { type Activation, applyActivation } from './activations.js';
import { gaussLegendre01 } from '../stats/gauss-legendre.js';

/**
 * The random-features kernel H(x, y) = E_{w~D*}[σ(⟨w,x⟩)·σ(⟨w,y⟩)] (THEORY.md §8), used
 * by the `neuron-rf` teacher and by `memorize`'s Gram matrix.
 *
 * ReLU has a closed form (the degree-1 arc-cosine kernel). For unit x, y at angle θ:
 *   w ~ N(0, I_d):        (sin θ + (π − θ)·cos θ)/(2π)
 *   w uniform on S^{d−1}: the same divided by d (σ is 1-homogeneous and E‖g‖² = d).
 *
 * Other activations (w uniform on the sphere, x and y on the sphere) are tabulated once
 * per (activation, d) by quadrature instead of THEORY.md's Monte Carlo (deterministic,
 * error ≲ 1e-9; test/nn/kernel.test.ts checks it against Monte Carlo):
 * H depends only on t = cos θ. In the plane of x and y, (⟨w,x⟩, ⟨w,y⟩) = (ρ cos φ,
 * ρ cos(φ − θ)) with φ uniform and ρ² ~ Beta(1, (d−2)/2) independent of φ, so with
 * s = √(1 − ρ²) (density (d−2)·s^{d−3} on [0, 1], d ≥ 3; ρ = 1 for d = 2)
 *   h(θ) = ∫₀¹ (d−2) s^{d−3} · (1/2π)∫ σ(ρ cos φ) σ(ρ cos(φ − θ)) dφ ds.
 * The φ integral is periodic (trapezoid rule, spectrally accurate for smooth σ) and, on a
 * θ grid with the φ step, a circular autocorrelation; the s integral is Gauss–Legendre
 * (its integrand is a polynomial weight times a smooth function of s²). Lookups
 * interpolate in θ with Catmull–Rom, extending the table by the exact reflections
 * h(−θ) = h(θ), h(π + θ) = h(π − θ).
 */

/** (sin θ + (π − θ)·t)/(2π) with t = cos θ clipped to [−1, 1]: the ReLU kernel of unit vectors, Gaussian w. */
export function reluArcCosine(t: number): number {
  const c = t > 1 ? 1 : t < -1 ? -1 : t;
  return (Math.sqrt(1 - c * c) + (Math.PI - Math.acos(c)) * c) / (2 * Math.PI); // sin θ = √(1 − t²)
}

/** ReLU kernel of arbitrary x, y for w ~ N(0, I_d): ‖x‖‖y‖·(sin θ + (π − θ)cos θ)/(2π). */
export function reluKernelGaussian(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let xy = 0, xx = 0, yy = 0;
  for (let j = 0; j < x.length; j++) {
    xy += x[j] * y[j];
    xx += x[j] * x[j];
    yy += y[j] * y[j];
  }
  const norms = Math.sqrt(xx * yy);
  return norms === 0 ? 0 : norms * reluArcCosine(xy / norms);
}

/** ReLU kernel of arbitrary x, y for w uniform on S^{d−1}: the Gaussian form divided by d. */
export function reluKernelSphere(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return reluKernelGaussian(x, y) / x.length;
}

/** H(x, y) for unit x, y as a function of t = ⟨x, y⟩, w uniform on S^{d−1}. */
export interface SphereKernel {
  readonly activation: Activation;
  readonly d: number;
  /** H(x, x) = E_w[σ(⟨w,x⟩)²] for unit x; also E_x[σ(⟨w,x⟩)²] for unit w and x uniform on S. */
  readonly diagonal: number;
  at(t: number): number;
}

class ReluSphereKernel implements SphereKernel {
  readonly activation = 'relu' as const;
  readonly diagonal: number;
  constructor(readonly d: number) {
    this.diagonal = 1 / (2 * d);
  }
  at(t: number): number {
    return reluArcCosine(t) / this.d;
  }
}

/** Grid intervals on θ ∈ [0, π]; the φ rule then has 2·GRID points. */
export const KERNEL_GRID = 512;

class TabulatedSphereKernel implements SphereKernel {
  readonly diagonal: number;
  /** h at θ_i = iπ/G for i = −1 .. G + 1 (one reflected value past each end), offset by 1. */
  private readonly padded: Float64Array;
  constructor(readonly activation: Activation, readonly d: number, readonly values: Float64Array) {
    const g = values.length - 1;
    this.padded = new Float64Array(g + 3);
    this.padded.set(values, 1);
    this.padded[0] = values[1];
    this.padded[g + 2] = values[g - 1];
    this.diagonal = values[0];
  }
  at(t: number): number {
    const c = t > 1 ? 1 : t < -1 ? -1 : t;
    const g = this.values.length - 1;
    const position = (Math.acos(c) * g) / Math.PI;
    let i = Math.floor(position);
    if (i >= g) i = g - 1;
    const f = position - i;
    const p = this.padded; // p[i + 1] = h(θ_i)
    const y0 = p[i], y1 = p[i + 1], y2 = p[i + 2], y3 = p[i + 3];
    // Catmull–Rom cubic through y1 (f = 0) and y2 (f = 1)
    return y1 + 0.5 * f * (y2 - y0 + f * (2 * y0 - 5 * y1 + 4 * y2 - y3 + f * (3 * (y1 - y2) + y3 - y0)));
  }
}

/**
 * h(θ_i), θ_i = iπ/grid, i = 0..grid, for w uniform on S^{d−1}, by the quadrature described
 * at the top of this file. Works for ReLU too (then it matches the closed form to the
 * trapezoid rule's O(grid⁻²) on the ReLU kink, which the tests use to validate it).
 */
export function sphereKernelTable(activation: Activation, d: number, grid = KERNEL_GRID, radialNodes = Math.max(48, d + 8)): Float64Array {
  if (!(d >= 2)) throw new Error(`sphere kernel needs d ≥ 2 (got ${d})`);
  const points = 2 * grid; // φ_k = kπ/grid, k = 0..2·grid − 1
  const cosPhi = new Float64Array(points);
  for (let k = 0; k < points; k++) cosPhi[k] = Math.cos((k * Math.PI) / grid);
  const [nodes, weights] = d === 2 ? [Float64Array.of(1), Float64Array.of(1)] : gaussLegendre01(radialNodes);
  const out = new Float64Array(grid + 1);
  const a = new Float64Array(points);
  for (let r = 0; r < nodes.length; r++) {
    const s = nodes[r];
    const rho = d === 2 ? 1 : Math.sqrt(Math.max(0, 1 - s * s));
    const weight = d === 2 ? 1 : weights[r] * (d - 2) * Math.pow(s, d - 3);
    for (let k = 0; k < points; k++) a[k] = rho * cosPhi[k];
    applyActivation(activation, a, points);
    for (let i = 0; i <= grid; i++) {
      let sum = 0;
      for (let k = 0; k < points; k++) {
        const shifted = k - i;
        sum += a[k] * a[shifted < 0 ? shifted + points : shifted];
      }
      out[i] += (weight * sum) / points;
    }
  }
  return out;
}

const cache = new Map<string, SphereKernel>();

/** The kernel of `activation` for w uniform on S^{d−1}; tables are built once per process. */
export function sphereKernel(activation: Activation, d: number): SphereKernel {
  const key = `${activation}:${d}`;
  let kernel = cache.get(key);
  if (kernel === undefined) {
    kernel = activation === 'relu' ? new ReluSphereKernel(d) : new TabulatedSphereKernel(activation, d, sphereKernelTable(activation, d));
    cache.set(key, kernel);
  }
  return kernel;
}

/** The m × m Gram matrix H_jl = H(x_j, x_l) of unit rows of `points` (row-major m × d), row-major. */
export function sphereGram(kernel: SphereKernel, points: Float64Array, m: number, d: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    out[j * m + j] = kernel.diagonal;
    for (let l = 0; l < j; l++) {
      let t = 0;
      for (let c = 0; c < d; c++) t += points[j * d + c] * points[l * d + c];
      const h = kernel.at(t);
      out[j * m + l] = h;
      out[l * m + j] = h;
    }
  }
  return out;
}
