/** The activations of THEORY.md §8: values, the bound B of each, and the buffer path = the scalar path. */
import { describe, it, expect } from 'vitest';
import { ACTIVATIONS, activate, applyActivation, activationBound } from '../../src/nn/activations.js';

describe('activations', () => {
  it('have the bounds B = max over |z| ≤ 1 of |σ(z)| of THEORY.md §8', () => {
    expect(activationBound('relu')).toBe(1);
    expect(activationBound('tanh')).toBeCloseTo(0.7616, 4);
    expect(activationBound('sigmoid')).toBeCloseTo(0.7311, 4);
    expect(activationBound('softplus')).toBeCloseTo(1.3133, 4);
    for (const a of ACTIVATIONS) {
      let max = 0;
      for (let z = -1; z <= 1; z += 1 / 1024) max = Math.max(max, Math.abs(activate(a, z)));
      expect(max).toBeCloseTo(activationBound(a), 12);
    }
  });

  it('apply to a buffer exactly as one value at a time, softplus stable at the extremes', () => {
    const zs = [-800, -40, -1, -1e-9, 0, 1e-9, 0.5, 1, 40, 800];
    for (const a of ACTIVATIONS) {
      const buf = Float64Array.from(zs);
      applyActivation(a, buf, buf.length);
      zs.forEach((z, j) => expect(buf[j]).toBe(activate(a, z)));
    }
    expect(activate('softplus', 800)).toBe(800);
    expect(activate('softplus', -800)).toBe(0);
    expect(activate('softplus', 0)).toBeCloseTo(Math.LN2, 15);
    expect(activate('relu', -2)).toBe(0);
    expect(activate('sigmoid', 0)).toBe(0.5);
  });
});
