/**
 * `neuron-rf` invariants, in-process (THEORY.md §8): the pruned net only removes whole
 * neurons (every kept neuron has exactly the weights its group stream drew), c = 6C/T > 0,
 * and the reported loss is recomputed from the kept set alone; common random numbers across
 * `groups`; "theory" groups; absolute loss; resolve() refusals.
 */
import { describe, it, expect } from 'vitest';
import { neuronRf, type NeuronRfParams } from '../../src/experiments/neuron-rf.js';
import { neuronRfSeed, drawGroup, theoryGroups } from '../../src/pruning/rf-construction.js';
import { activate, activationBound, type Activation } from '../../src/nn/activations.js';
import { Streams } from '../../src/rng/streams.js';
import { UserError } from '../../src/errors.js';

const base: Record<string, string | number> = {
  d: 4, n: 6, C: 1.5, groups: 9, epsilon: 0.3, delta: 0.1, activation: 'relu', loss: 'squared',
  anchors: 5, noise: 0.05, train_points: 200, test_points: 300, max_width: 1e7,
};
const params = (over: Record<string, string | number> = {}) => neuronRf.resolve({ ...base, ...over }) as NeuronRfParams;
const streams = (seed: number) => Streams.forSeed(0xabc, 0xdef, seed);

/** Test loss of c·Σ_kept u·σ(⟨w, x⟩), recomputed here from the kept neurons only. */
function recomputedLoss(activation: Activation, loss: string, kept: { w: Float64Array; u: number }[], c: number, X: Float64Array, y: Float64Array, d: number): number {
  let total = 0;
  for (let p = 0; p < y.length; p++) {
    let g = 0;
    for (const neuron of kept) {
      let z = 0;
      for (let j = 0; j < d; j++) z += neuron.w[j] * X[p * d + j];
      g += neuron.u * activate(activation, z);
    }
    const r = c * g - y[p];
    total += loss === 'squared' ? r * r : Math.abs(r);
  }
  return total / y.length;
}

describe('neuron-rf invariants', () => {
  for (const [activation, loss] of [['relu', 'squared'], ['tanh', 'squared'], ['sigmoid', 'absolute'], ['softplus', 'squared']] as const) {
    it(`${activation}, ${loss} loss: kept neurons are drawn neurons, c = 6C/T, loss recomputed from the kept set`, () => {
      const p = params({ activation, loss });
      for (let seed = 0; seed < 3; seed++) {
        const s = neuronRfSeed(p, streams(seed), { record: true });
        const row = neuronRf.run(p, streams(seed));
        const T = p.groups as number;
        expect(s.T).toBe(T);
        expect(s.c).toBe((6 * p.C) / T);
        expect(s.c).toBeGreaterThan(0);
        expect(s.kept).toBe(s.keptNeurons!.length);
        // every kept neuron equals the raw draw of its group's stream
        const W = new Float64Array(p.n * p.d), u = new Float64Array(p.n);
        for (const neuron of s.keptNeurons!) {
          drawGroup(streams(seed).get('group', neuron.group), p.n, p.d, W, u);
          expect(Array.from(neuron.w)).toEqual(Array.from(W.subarray(neuron.index * p.d, (neuron.index + 1) * p.d)));
          expect(neuron.u).toBe(u[neuron.index]);
        }
        // the keep decisions of the first groups are the documented rule on group t's own rounding stream
        s.firstGroups.forEach((v, t) => {
          drawGroup(streams(seed).get('group', t), p.n, p.d, W, u);
          const rounding = streams(seed).get('rounding', t);
          const expectedKept = [];
          for (let i = 0; i < p.n; i++) if (rounding.next() < 0.5 + (v[i] * u[i]) / (2 * p.C)) expectedKept.push(i);
          expect(s.keptNeurons!.filter((k) => k.group === t).map((k) => k.index)).toEqual(expectedKept);
          for (let i = 0; i < p.n; i++) expect(Math.abs(v[i])).toBeLessThanOrEqual(p.C);
        });
        const loss2 = recomputedLoss(activation, loss, s.keptNeurons!, s.c, s.testPoints!, s.testLabels!, p.d);
        expect(Math.abs(loss2 - s.loss)).toBeLessThanOrEqual(1e-12 * Math.max(1, s.loss));
        // the row is the seed's numbers, in column order
        const named = Object.fromEntries(neuronRf.columns.map((col, j) => [col.name, row[j]]));
        expect(named.loss).toBe(s.loss);
        expect(named.success).toBe(s.loss <= p.epsilon ? 1 : 0);
        expect(named.kept).toBe(s.kept);
        expect(named.c).toBe(s.c);
        expect(named.k).toBe(T * p.n);
        if (loss === 'absolute') {
          expect(named.excess_expected).toBeNull();
          expect(named.theory_width).toBeNull();
        } else {
          expect(named.excess_expected).toBeGreaterThan(0);
          expect(named.theory_width).toBe(theoryGroups(p, s.meanGroupLoss)! * p.n);
        }
        // convexity (THEORY.md §8): f̄'s test loss is at most the mean of the groups' own test losses
        expect(s.groupsLoss).toBeLessThanOrEqual(s.meanGroupLoss * (1 + 1e-12));
        expect(named.group_mean_loss).toBe(s.meanGroupLoss);
        expect(s.loss).toBeLessThan(100);
      }
    });
  }

  it('cells that differ only in groups share their first groups (same kept neurons)', () => {
    const small = neuronRfSeed(params({ groups: 4 }), streams(5), { record: true });
    const large = neuronRfSeed(params({ groups: 9 }), streams(5), { record: true });
    const prefix = large.keptNeurons!.filter((k) => k.group < 4);
    expect(prefix.map((k) => [k.group, k.index, k.u])).toEqual(small.keptNeurons!.map((k) => [k.group, k.index, k.u]));
    expect(large.epsRf).toBe(small.epsRf);
    expect(large.firstGroups.map((v) => Array.from(v))).toEqual(small.firstGroups.map((v) => Array.from(v)));
  });

  it('groups "theory" is the first T with T ≥ §8\'s bound at the mean loss of its T groups', () => {
    const p = params({ groups: 'theory', epsilon: 1, delta: 0.9, C: 0.5 });
    const s = neuronRfSeed(p, streams(1));
    const T = s.T!;
    const B = activationBound('relu');
    expect(T).toBe(Math.ceil((6 * 0.25 * p.n * B * B) / (0.9 * (1 - Math.sqrt(s.meanGroupLoss)) ** 2)));
    // every smaller T' (the same first groups: common random numbers) falls short of its own bound
    for (let smaller = 1; smaller < T; smaller++) {
      const prefix = neuronRfSeed(params({ groups: smaller, epsilon: 1, delta: 0.9, C: 0.5 }), streams(1));
      expect(smaller).toBeLessThan(theoryGroups(p, prefix.meanGroupLoss)!);
    }
    const same = neuronRfSeed(params({ groups: T, epsilon: 1, delta: 0.9, C: 0.5 }), streams(1));
    expect(same.meanGroupLoss).toBe(s.meanGroupLoss);
    expect(same.loss).toBe(s.loss);
    const row = neuronRf.run(p, streams(1));
    expect(row[neuronRf.columns.findIndex((c) => c.name === 'k')]).toBe(T * p.n);
    expect(row[neuronRf.columns.findIndex((c) => c.name === 'theory_width')]).toBe(T * p.n);
  });

  it('groups "theory" when no T ≤ max_width/n qualifies (ε ≤ the groups\' loss) reports nothing: success 0, theory width and losses empty', () => {
    // C = 0.05 caps the fits far above ε = 0.01; the bound's floor ⌈6C²n/(δε)⌉ = 10 groups passes resolve()
    const p = params({ groups: 'theory', C: 0.05, epsilon: 0.01, delta: 0.9, max_width: 600 });
    const s = neuronRfSeed(p, streams(2));
    expect(s.meanGroupLoss).toBeGreaterThan(p.epsilon);
    const row = neuronRf.run(p, streams(2));
    const named = Object.fromEntries(neuronRf.columns.map((col, j) => [col.name, row[j]]));
    expect(named.success).toBe(0);
    expect(named.theory_width).toBeNull();
    expect(named.k).toBeNull();
    expect(named.loss).toBeNull();
    expect(named.eps_rf).toBeGreaterThan(p.epsilon);
  });

  it('resolve() refuses a width above max_width and "theory" with absolute loss (UserError: the harness prefixes the cell)', () => {
    expect(() => params({ groups: 1000, max_width: 5000 })).toThrow(UserError);
    expect(() => params({ groups: 1000, max_width: 5000 })).toThrow(/k = groups·n = 6000 is above max_width = 5000/);
    expect(() => params({ groups: 'theory', loss: 'absolute' })).toThrow(/needs loss "squared"/);
    expect(() => params({ groups: 'theory', epsilon: 0.01, max_width: 1000 })).toThrow(/at least \d+ .*above max_width = 1000/);
    expect(() => params({ groups: 1000 })).not.toThrow();
  });
});
