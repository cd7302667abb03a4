/** Verdict of a cell against the claimed 1 − δ, and the fewest seeds that can give `above`. */
import { describe, it, expect } from 'vitest';
import { verdict, minSeedsForAbove } from '../../src/stats/verdict.js';
import { clopperPearson } from '../../src/stats/clopper-pearson.js';

describe('verdict', () => {
  it('above when low ≥ target (edge included), below when high < target (edge excluded), else undecided', () => {
    expect(verdict({ low: 0.95, high: 1 }, 0.95)).toBe('above');
    expect(verdict({ low: 0.96, high: 0.99 }, 0.95)).toBe('above');
    expect(verdict({ low: 0.9499999, high: 1 }, 0.95)).toBe('undecided');
    expect(verdict({ low: 0.9, high: 0.95 }, 0.95)).toBe('undecided');
    expect(verdict({ low: 0.9, high: 0.9499999 }, 0.95)).toBe('below');
    expect(verdict({ low: 0, high: 1 }, 0.5)).toBe('undecided');
  });
});

describe('minSeedsForAbove', () => {
  it('36 seeds for δ = 0.1 and 368 for δ = 0.01 at 95%', () => {
    expect(minSeedsForAbove(0.1)).toBe(36);
    expect(minSeedsForAbove(0.01)).toBe(368);
    expect(minSeedsForAbove(0.1, 0.95)).toBe(36);
  });

  it('is exactly where all-success runs turn from undecided to above (95% and 99%)', () => {
    for (const confidence of [0.95, 0.99]) {
      for (const delta of [0.5, 0.1, 0.05, 0.01, 1e-3]) {
        const n = minSeedsForAbove(delta, confidence);
        expect(verdict(clopperPearson(n, n, confidence), 1 - delta), `δ = ${delta}, n = ${n}`).toBe('above');
        expect(verdict(clopperPearson(n - 1, n - 1, confidence), 1 - delta), `δ = ${delta}, n − 1`).toBe('undecided');
      }
    }
  });
});
