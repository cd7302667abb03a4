/** Adaptive Gauss–Legendre quadrature against integrals with known values. */
import { describe, it, expect } from 'vitest';
import { integrate, integratePiecewise } from '../../src/stats/integrate.js';
import { relErr } from '../support/stats.js';

describe('integrate', () => {
  it('smooth integrands', () => {
    expect(relErr(integrate((x) => x * x, 0, 1), 1 / 3)).toBeLessThan(1e-14);
    expect(relErr(integrate(Math.sin, 0, Math.PI), 2)).toBeLessThan(1e-13);
    expect(relErr(integrate(Math.exp, -1, 2), Math.exp(2) - Math.exp(-1))).toBeLessThan(1e-13);
    expect(relErr(integrate((x) => 1 / (1 + x * x), 0, 1), Math.PI / 4)).toBeLessThan(1e-13);
    expect(relErr(integrate((x) => x ** 19, 0, 1), 1 / 20)).toBeLessThan(1e-13); // degree 19: exact for 10 nodes
  });

  it('integrable endpoint singularities: ∫_0^1 −ln x = 1, ∫_0^1 x ln x = −¼, ∫_0^1 1/√x = 2', () => {
    expect(relErr(integrate((x) => -Math.log(x), 0, 1), 1)).toBeLessThan(1e-10);
    expect(relErr(integrate((x) => x * Math.log(x), 0, 1), -0.25)).toBeLessThan(1e-10);
    expect(relErr(integrate((x) => -Math.log(x) / 2, 0, 0.3), (0.3 - 0.3 * Math.log(0.3)) / 2)).toBeLessThan(1e-10);
    expect(relErr(integrate((x) => 1 / Math.sqrt(x), 0, 1), 2)).toBeLessThan(1e-6);
  });

  it('a steep sigmoid (like the pair formula in w at large k)', () => {
    expect(Math.abs(integrate((x) => 1 / (1 + Math.exp(-2000 * (x - 0.3))), 0, 1) - 0.7)).toBeLessThan(1e-10);
  });

  it('a peak narrower than the node spacing, with a break near it', () => {
    // Unsplit, integrate() returns ≈ 0 here: no Gauss node of [0, 1] or its halves lands in
    // the peak, so both estimates agree on 0. Callers must split near narrow features (this is
    // why lemmaSuccessProbability splits geometrically towards |w| = 1).
    const s = 1e-3; // ∫ Gaussian of width 1e-3 centred at 0.4 over [0, 1]
    const g = (x: number) => Math.exp(-(((x - 0.4) / s) ** 2) / 2);
    expect(relErr(integratePiecewise(g, 0, 1, [0.4]), s * Math.sqrt(2 * Math.PI))).toBeLessThan(1e-9);
  });

  it('empty or reversed intervals give 0', () => {
    expect(integrate(() => 1, 0.5, 0.5)).toBe(0);
    expect(integrate(() => 1, 1, 0)).toBe(0);
  });
});

describe('integratePiecewise', () => {
  it('splits at kinks and ignores breaks outside (a, b), in any order', () => {
    expect(relErr(integratePiecewise(Math.abs, -1, 1, [0]), 1)).toBeLessThan(1e-15);
    expect(relErr(integratePiecewise((x) => Math.abs(x - 0.3), 0, 1, [5, 0.3, -2, 0, 1]), (0.09 + 0.49) / 2)).toBeLessThan(1e-15);
    // log singularity inside the range, at a break: ∫_{-1}^{1} −½ ln|z| dz = 1 (the density of UV)
    expect(relErr(integratePiecewise((z) => -0.5 * Math.log(Math.abs(z)), -1, 1, [0]), 1)).toBeLessThan(1e-10);
    expect(relErr(integratePiecewise((x) => (x < 0.25 ? 1 : 3), 0, 1, [0.75, 0.25]), 0.25 + 2.25)).toBeLessThan(1e-15);
  });
});
