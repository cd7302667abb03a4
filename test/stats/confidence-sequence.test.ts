import { describe, it, expect } from 'vitest';
import { confidenceSequence, logMixtureMartingale, anytimePValue } from '../../src/stats/confidence-sequence.js';
import { clopperPearson } from '../../src/stats/clopper-pearson.js';
import { checkpoints, decidedPrefix } from '../../src/stats/sequential.js';
import { planRows } from '../../src/commands/plan.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

/** Values from bench/reference/confidence_sequence.py (math.lgamma + bisection, standard library only). */
const REFERENCE: [number, number, number, number, number][] = [
  [64, 64, 0.95, 0.894014649152367, 1.0],
  [950, 1000, 0.95, 0.9198290886926136, 0.9717648733704756],
  [9900, 10000, 0.95, 0.9851768577218064, 0.9936515021390223],
  [5, 10, 0.95, 0.12921901240078776, 0.8707809875992122],
  [0, 10, 0.95, 0.0, 0.4168802756565361],
  [300, 400, 0.99, 0.6605061110806477, 0.827107018996877],
  [123456, 130000, 0.95, 0.9469765784164573, 0.9522590190363993],
];

describe('beta-binomial confidence sequence', () => {
  it('matches an independent implementation', () => {
    for (const [s, t, conf, low, high] of REFERENCE) {
      const interval = confidenceSequence(s, t, conf);
      expect(interval.low).toBeCloseTo(low, 9);
      expect(interval.high).toBeCloseTo(high, 9);
    }
  });

  it('its ends are where the martingale crosses 1/α, and it is wider than Clopper–Pearson', () => {
    const { low, high } = confidenceSequence(950, 1000, 0.95);
    expect(logMixtureMartingale(950, 1000, low)).toBeCloseTo(Math.log(20), 6);
    expect(logMixtureMartingale(950, 1000, high)).toBeCloseTo(Math.log(20), 6);
    const cp = clopperPearson(950, 1000, 0.95);
    expect(low).toBeLessThan(cp.low);
    expect(high).toBeGreaterThan(cp.high);
    expect(anytimePValue(950, 1000, low)).toBeCloseTo(0.05, 6);
  });

  /**
   * Optional stopping: look at every checkpoint 64·2^j up to 4096 and count a miss when any
   * look excludes the true p. The sequence keeps the miss rate ≤ α; repeated Clopper–Pearson does not.
   */
  it('keeps its coverage under optional stopping; repeated Clopper–Pearson does not', () => {
    const [hi, lo] = cellSeed('cs-test', 'coverage', 'p');
    const streams = 4000, p = 0.9, looks = checkpoints(4096);
    let csMisses = 0, cpMisses = 0;
    for (let i = 0; i < streams; i++) {
      const rng = Streams.forSeed(hi, lo, i).get('bernoulli');
      let s = 0, t = 0, csMiss = false, cpMiss = false;
      for (const c of looks) {
        for (; t < c; t++) if (rng.next() < p) s++;
        const cs = confidenceSequence(s, t, 0.95), cp = clopperPearson(s, t, 0.95);
        if (p < cs.low || p > cs.high) csMiss = true;
        if (p < cp.low || p > cp.high) cpMiss = true;
      }
      if (csMiss) csMisses++;
      if (cpMiss) cpMisses++;
    }
    const se = Math.sqrt(0.05 * 0.95 / streams);
    expect(csMisses / streams).toBeLessThanOrEqual(0.05 + 4.5 * se);
    expect(cpMisses / streams).toBeGreaterThan(0.05 + 4.5 * se); // the error rate inflates with every look
  });
});

describe('early-stopping decisions', () => {
  it('checkpoints are 64·2^j below the cap, then the cap', () => {
    expect(checkpoints(1000)).toEqual([64, 128, 256, 512, 1000]);
    expect(checkpoints(64)).toEqual([64]);
  });

  it('the decided prefix is the first checkpoint whose sequence excludes 1 − δ, and depends only on the prefix', () => {
    const all = (i: number): 0 | 1 => (i < 5000 ? 1 : 0);
    const first = decidedPrefix(5000, 0.9, 0.95, all);
    expect(first).toBe(128); // 64/64 does not exclude 0.9 yet (lower end 0.894), 128/128 does
    expect(confidenceSequence(64, 64).low).toBeLessThan(0.9);
    expect(confidenceSequence(128, 128).low).toBeGreaterThanOrEqual(0.9);
    // anything after the prefix is irrelevant, a gap inside it means "not yet"
    expect(decidedPrefix(5000, 0.9, 0.95, (i) => (i < 128 ? 1 : null))).toBe(128);
    expect(decidedPrefix(5000, 0.9, 0.95, (i) => (i === 100 ? null : 1))).toBe(100);
    // never decided: the cap
    expect(decidedPrefix(300, 0.5, 0.95, (i) => (i % 2) as 0 | 1)).toBe(300);
  });

  it('lth plan: Clopper–Pearson needs ln(α/2)/ln(1 − δ) all-success seeds; the sequence a checkpoint where its bound passes', () => {
    const rows = planRows(0.01, 0.95);
    expect(rows[0]).toEqual({ method: 'clopper-pearson', p: 1, seeds: 368 });
    const cs = rows[1].seeds!;
    expect(confidenceSequence(cs, cs).low).toBeGreaterThanOrEqual(0.99);
    expect(confidenceSequence(cs / 2, cs / 2).low).toBeLessThan(0.99);
    expect(rows[2].seeds!).toBeGreaterThan(368);
    expect(rows[3].seeds!).toBeGreaterThan(cs);
  });
});
