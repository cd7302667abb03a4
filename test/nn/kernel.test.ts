/**
 * The random-features kernel H(x, y) = E_w[σ(⟨w,x⟩)σ(⟨w,y⟩)] of THEORY.md §8: the ReLU
 * closed forms against Monte Carlo over w for both weight laws (Gaussian and uniform on
 * the sphere, with non-unit x and y), the quadrature tables of the other activations
 * against Monte Carlo, and the quadrature route itself against the ReLU closed form.
 */
import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/rng/rng.js';
import { NormalSampler } from '../../src/rng/ziggurat.js';
import { activate, type Activation } from '../../src/nn/activations.js';
import {
  reluKernelGaussian, reluKernelSphere, reluArcCosine, sphereKernel, sphereKernelTable, sphereGram, KERNEL_GRID,
} from '../../src/nn/kernel.js';
import { expectWithinSE } from '../support/stats.js';

const M = 200000;

/** Monte Carlo of E_w[σ(⟨w,x⟩)σ(⟨w,y⟩)] with its standard error. */
function monteCarlo(activation: Activation, x: number[], y: number[], law: 'gaussian' | 'sphere', seed: number): { mean: number; se: number } {
  const d = x.length, normals = new NormalSampler(new Rng(seed, 99));
  const w = new Float64Array(d);
  let sum = 0, sum2 = 0;
  for (let s = 0; s < M; s++) {
    let norm2 = 0;
    for (let c = 0; c < d; c++) {
      w[c] = normals.next();
      norm2 += w[c] * w[c];
    }
    const scale = law === 'sphere' ? 1 / Math.sqrt(norm2) : 1;
    let wx = 0, wy = 0;
    for (let c = 0; c < d; c++) {
      wx += w[c] * x[c];
      wy += w[c] * y[c];
    }
    const v = activate(activation, wx * scale) * activate(activation, wy * scale);
    sum += v;
    sum2 += v * v;
  }
  const mean = sum / M;
  return { mean, se: Math.sqrt((sum2 / M - mean * mean) / (M - 1)) };
}

/** A vector of norm r at angle θ from e_1, in the (e_1, e_2) plane, padded to d, then rotated by a fixed mixing. */
function atAngle(theta: number, r: number, d: number): number[] {
  const v = new Array(d).fill(0);
  v[0] = r * Math.cos(theta);
  v[1] = r * Math.sin(theta);
  // a fixed orthogonal mixing of coordinates 0..2 so no test vector is axis-aligned
  const c = Math.cos(0.7), s = Math.sin(0.7);
  return [c * v[0] - s * v[2], v[1], s * v[0] + c * v[2], ...v.slice(3)];
}

describe('ReLU kernel closed form (THEORY.md §8)', () => {
  const d = 4;
  const cases = [
    { theta: 0, rx: 1, ry: 1 },
    { theta: 0.9, rx: 0.6, ry: 1.3 },
    { theta: Math.PI / 2, rx: 1, ry: 0.5 },
    { theta: 2.4, rx: 0.8, ry: 1 },
    { theta: Math.PI, rx: 1, ry: 1 },
  ];
  for (const law of ['gaussian', 'sphere'] as const) {
    it(`matches Monte Carlo over w (${law})`, () => {
      cases.forEach(({ theta, rx, ry }, j) => {
        const x = atAngle(0, rx, d), y = atAngle(theta, ry, d);
        const exact = law === 'gaussian' ? reluKernelGaussian(x, y) : reluKernelSphere(x, y);
        const mc = monteCarlo('relu', x, y, law, 10 + j);
        if (law === 'sphere' && rx === 1 && ry === 1) expect(sphereKernel('relu', d).at(Math.cos(theta))).toBeCloseTo(exact, 15);
        if (theta === Math.PI) {
          expect(exact).toBeCloseTo(0, 15);
          expect(mc.mean).toBe(0);
        } else {
          expectWithinSE(mc.mean, exact, mc.se, `${law} θ = ${theta}`);
        }
      });
    });
  }

  it('has the diagonal ‖x‖²/2 (Gaussian) and ‖x‖²/(2d) (sphere)', () => {
    const x = atAngle(0.3, 0.7, d);
    expect(reluKernelGaussian(x, x)).toBeCloseTo(0.49 / 2, 14);
    expect(reluKernelSphere(x, x)).toBeCloseTo(0.49 / (2 * d), 14);
    expect(sphereKernel('relu', d).diagonal).toBe(1 / (2 * d));
  });
});

describe('tabulated sphere kernels (tanh, sigmoid, softplus)', () => {
  for (const activation of ['tanh', 'sigmoid', 'softplus'] as const) {
    it(`${activation}: matches Monte Carlo over w uniform on the sphere (d = 3 and 6)`, () => {
      for (const d of [3, 6]) {
        const kernel = sphereKernel(activation, d);
        [0, 1.1, 2.9].forEach((theta, j) => {
          const x = atAngle(0, 1, d), y = atAngle(theta, 1, d);
          const mc = monteCarlo(activation, x, y, 'sphere', 100 * d + j);
          expectWithinSE(mc.mean, kernel.at(Math.cos(theta)), mc.se, `${activation} d = ${d} θ = ${theta}`);
        });
      }
    });
  }

  it('the quadrature reproduces the ReLU closed form to the trapezoid rule\'s O(grid⁻²) on the kink', () => {
    const runs = [2, 3, 5, 12, 80].map((d) => [d, KERNEL_GRID, 5e-6]).concat([[5, 4 * KERNEL_GRID, 4e-7]]);
    for (const [d, grid, tolerance] of runs) {
      {
        const table = sphereKernelTable('relu', d, grid);
        let worst = 0;
        for (let i = 0; i <= grid; i++) {
          const exact = reluArcCosine(Math.cos((i * Math.PI) / grid)) / d;
          worst = Math.max(worst, Math.abs(table[i] - exact) * 2 * d); // relative to the diagonal 1/(2d)
        }
        expect(worst, `d = ${d}, grid = ${grid}`).toBeLessThan(tolerance);
      }
    }
  });

  it('interpolates halfway between grid points to 1e-8 (against a 2× finer table)', () => {
    const fine = sphereKernelTable('tanh', 5, 2 * KERNEL_GRID);
    const kernel = sphereKernel('tanh', 5);
    for (let i = 1; i <= 2 * KERNEL_GRID; i += 2) {
      expect(Math.abs(kernel.at(Math.cos((i * Math.PI) / (2 * KERNEL_GRID))) - fine[i])).toBeLessThan(1e-8);
    }
    expect(kernel.diagonal).toBe(kernel.at(1));
    expect(kernel.at(-1)).toBeCloseTo(-kernel.diagonal, 12); // tanh is odd: H(x, −x) = −H(x, x)
  });
});

describe('sphereGram', () => {
  it('is symmetric with the kernel diagonal and the kernel off the diagonal', () => {
    const d = 3, m = 4;
    const points = new Float64Array([1, 0, 0, 0, 1, 0, 0.6, 0.8, 0, 0, 0, -1]);
    const kernel = sphereKernel('relu', d);
    const gram = sphereGram(kernel, points, m, d);
    for (let j = 0; j < m; j++) {
      expect(gram[j * m + j]).toBe(1 / 6);
      for (let l = 0; l < m; l++) {
        expect(gram[j * m + l]).toBe(gram[l * m + j]);
        if (l !== j) expect(gram[j * m + l]).toBeCloseTo(reluKernelSphere(points.subarray(j * d, j * d + d), points.subarray(l * d, l * d + d)), 15);
      }
    }
    expect(gram[1]).toBeCloseTo(1 / (2 * Math.PI * 3), 15); // orthogonal unit vectors: 1/(2πd)
  });
});
