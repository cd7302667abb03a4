import { z } from 'zod';
import type { Experiment, Cell, Value } from './types.js';
import { UserError } from '../errors.js';
import { deltaParam, epsilonParam } from './common-params.js';
import { ACTIVATIONS, type Activation, activationBound } from '../nn/activations.js';
import { sphereKernel } from '../nn/kernel.js';
import type { Loss } from '../nn/random-features.js';
import { neuronRfSeed, theoryGroups, type RfConstructionParams } from '../pruning/rf-construction.js';
import { widthQuantile } from './width-quantile.js';
import { sphereDataParams, resolveSphereData, sphereDataOf } from './sphere-data-params.js';

/**
 * `neuron-rf`: pruning whole neurons is as strong as training the last layer of a
 * random-features model (THEORY.md §8). Per seed: the data distribution (teacher), a
 * reference width-n random-features fit (its test loss is ε_RF), T groups of n random
 * neurons each fitted like the reference, the randomized rounding of the fits to a
 * neuron subset with scale c = 6C/T, and its test loss against ε.
 *
 * With `data` (optional parameters, absent from synthetic cells): D is the uniform distribution
 * over the two classes' points on the sphere (src/data/two-class-sphere.ts), y = ±1 by class;
 * the training and test samples are drawn i.i.d. from it (streams 'data' and 'test').
 */
export interface NeuronRfParams extends RfConstructionParams, Record<string, Value> {
  activation: Activation;
  loss: Loss;
}

const positiveInt = (doc: string, def: number, max: number) => ({
  schema: z.number().int().min(1).max(max),
  default: def,
  structural: true,
  doc,
  allowed: `an integer in [1, ${max}]`,
  integer: true,
});

export const neuronRf: Experiment<NeuronRfParams> = {
  name: 'neuron-rf',
  version: 2,
  summary: 'neuron pruning ≈ random features (THEORY.md §8): round T fitted groups of n random neurons to a neuron subset scaled by c = 6C/T; is its test loss ≤ ε?',
  params: {
    d: { ...positiveInt('input dimension (x and the features w on the unit sphere S^{d−1}); with data: the data\'s dimension (leave d out, or give exactly that)', 5, 10000), schema: z.number().int().min(2).max(10000), allowed: 'an integer in [2, 10000]' },
    n: positiveInt('features per group = width of the reference random-features model', 20, 1000),
    C: {
      schema: z.number().gt(0).max(1e6),
      default: 2,
      structural: true,
      doc: 'coefficient bound: fits use u ∈ [−C, C]^n; the rounding variance grows like C²',
      allowed: 'a number in (0, 1e6]',
    },
    groups: {
      schema: z.union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.literal('theory')]),
      default: 100,
      structural: false,
      doc: 'T, the number of groups of n neurons (width k = T·n), or "theory": per seed the smallest T ≥ §8\'s bound with the mean loss of its T groups (squared loss)',
      allowed: 'an integer ≥ 1 or "theory"',
      integer: true,
    },
    epsilon: epsilonParam(0.1),
    delta: deltaParam,
    activation: {
      schema: z.enum(ACTIVATIONS),
      default: 'relu',
      structural: true,
      doc: 'σ of the features and of the teacher\'s kernel: "relu", "tanh", "softplus" or "sigmoid"',
      allowed: '"relu", "tanh", "softplus" or "sigmoid"',
    },
    loss: {
      schema: z.enum(['squared', 'absolute']),
      default: 'squared',
      structural: true,
      doc: 'test loss: "squared" (the bounds of §8 apply) or "absolute" (measured only; fits are still least squares)',
      allowed: '"squared" or "absolute"',
    },
    anchors: positiveInt('r, anchors of the teacher f_T = Σ_j β_j H(z_j, ·), normalized to max |f_T| = 1 (synthetic points only)', 10, 100000),
    noise: {
      schema: z.number().min(0).max(100),
      default: 0,
      structural: true,
      doc: 'label noise: y = clip(f_T(x) + noise·ξ, −1, 1), ξ ~ N(0, 1) (synthetic points only)',
      allowed: 'a number in [0, 100]',
    },
    train_points: positiveInt('training sample size for every fit (reference and groups); with data drawn i.i.d. (with replacement) from D', 500, 10000000),
    test_points: positiveInt('test sample size for every reported loss; with data drawn i.i.d. (with replacement) from D', 1000, 10000000),
    max_width: {
      schema: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
      default: 1e7,
      structural: false,
      doc: 'guard: a width T·n above this is refused (one seed costs ≈ 20·(train + test points)·d flops a neuron)',
      allowed: 'an integer ≥ 1',
      integer: true,
    },
    ...sphereDataParams('D is the uniform distribution over these points, y = ±1 by class; the teacher parameters (anchors, noise) do not apply.'),
  },
  columns: [
    { name: 'success', type: 'bool', doc: '1 when the test loss of c·ḡ is ≤ ε (the estimate decides)' },
    { name: 'loss', doc: 'test loss of the pruned net c·ḡ' },
    { name: 'loss_se', doc: 'standard error of `loss` over the test points' },
    { name: 'eps_rf', histogram: true, doc: 'test loss of the reference width-n random-features fit (|u| ≤ C): what training the last layer achieves' },
    { name: 'groups_loss', doc: 'test loss of f̄, the average of the T fitted group models (= E[c·ḡ] given the features)' },
    { name: 'group_mean_loss', doc: 'ε̄\': mean over the T groups of their own test losses (≥ groups_loss by convexity; it sets theory_width)' },
    { name: 'excess_expected', doc: 'E[Y] = (1/T²)·Σ(6C² − v²)·E_x σ² given the features and fits: expected loss − groups_loss (squared loss; with data E_x σ² is each feature\'s mean over the test sample, so this is the expected excess on that sample exactly)' },
    { name: 'kept', type: 'int', doc: 'neurons kept in ḡ (whole neurons, drawn weights unchanged)' },
    { name: 'c', doc: 'the scale 6C/T of the pruned net' },
    { name: 'theory_width', type: 'int', histogram: true, doc: 'k = n·⌈6C²nB²/(δ(√ε − √ε̄\')²)⌉ with this seed\'s group_mean_loss ε̄\' (THEORY.md §8; empty when ε ≤ ε̄\', for absolute loss, or for "theory" groups when no width ≤ max_width qualifies)' },
    { name: 'k', type: 'int', doc: 'width T·n of the random net used by this seed (groups = "theory": this seed\'s theory width)' },
  ],
  resolve(given, explicit) {
    const data = resolveSphereData(given, explicit, neuronRf.params, ['anchors', 'noise']);
    const p = { ...given, ...data?.record } as NeuronRfParams;
    if (typeof p.groups === 'number' && p.groups * p.n > p.max_width) {
      throw new UserError(`neuron-rf: width k = groups·n = ${p.groups * p.n} is above max_width = ${p.max_width}; lower groups or raise max_width`);
    }
    if (p.groups === 'theory') {
      if (p.loss !== 'squared') {
        throw new UserError(`neuron-rf: groups "theory" needs loss "squared" (§8's bound is for squared loss)`);
      }
      const atLeast = theoryGroups(p, 0)! * p.n;
      if (atLeast > p.max_width) {
        throw new UserError(`neuron-rf: groups "theory" needs a width of at least ${atLeast} (with a groups' loss of 0), above max_width = ${p.max_width}; raise epsilon or delta, or raise max_width`);
      }
    }
    return p;
  },
  run(p, streams): Cell[] {
    const s = neuronRfSeed(p, streams, { data: sphereDataOf(p) });
    const built = s.T !== null;
    return [
      s.success ? 1 : 0,
      built ? s.loss : null,
      built ? s.lossSe : null,
      s.epsRf,
      built ? s.groupsLoss : null,
      built ? s.meanGroupLoss : null,
      built && p.loss === 'squared' ? s.excessExpected : null,
      built ? s.kept : null,
      built ? s.c : null,
      s.theoryGroups === null ? null : s.theoryGroups * p.n,
      built ? s.T! * p.n : null,
    ];
  },
  summaryColumns: [
    { name: 'median_theory_width', doc: 'median over seeds of theory_width (neurons; seeds without one count as +∞)' },
    { name: 'quantile_theory_width', doc: '(1 − δ)-quantile over seeds of theory_width (neurons; seeds without one count as +∞): theory_width of the cell, in groups' },
    { name: 'median_eps_rf', doc: 'median reference test loss ε_RF' },
    { name: 'mean_loss', doc: 'mean test loss of c·ḡ' },
    { name: 'mean_groups_loss', doc: 'mean test loss of f̄' },
    { name: 'mean_excess', doc: 'mean of loss − groups_loss' },
    { name: 'mean_excess_expected', doc: 'mean of excess_expected: compare with mean_excess' },
  ],
  // loss − groups_loss per seed (squared loss): its mean is compared with mean_excess_expected
  derived: [{ name: 'excess', value: (row) => (row[1] !== null && row[4] !== null ? row[1] - row[4] : null) }],
  summarize(p, stats) {
    const squared = p.loss === 'squared';
    return [squared ? stats.median('theory_width', 'infinity') : null, squared ? widthQuantile(stats, 'theory_width', p.delta) : null, stats.median('eps_rf'), stats.mean('loss'), stats.mean('groups_loss'), stats.mean('excess'), stats.mean('excess_expected')];
  },
  // per seed (it depends on the seed's groups): the (1 − δ)-quantile over seeds, in groups, so a
  // cell at least that wide gives ≥ 1 − δ of its seeds their own theorem's width (THEORY.md §8);
  // seeds without a width count as +∞
  theoryWidth: (p, stats) => {
    const q = stats && p.loss === 'squared' ? widthQuantile(stats, 'theory_width', p.delta) : null;
    return q === null ? null : Math.ceil(q / p.n);
  },
  theoryExtras: { quantile_theory_width: "theorem's width in neurons ((1 − δ)-quantile)", median_theory_width: 'median', median_eps_rf: 'median ε_RF' },
  widthParam: 'groups',
  explain(p, streams) {
    const data = sphereDataOf(p);
    const s = neuronRfSeed(p, streams, { data });
    return {
      eps_rf: s.epsRf,
      reference_coefficients: Array.from(s.referenceCoefficients),
      groups_used: s.T,
      theory_groups: s.theoryGroups,
      group_mean_loss: s.meanGroupLoss,
      B: activationBound(p.activation),
      feature_second_moment: data ? null : sphereKernel(p.activation, p.d).diagonal,
      teacher_max_abs: data ? null : s.teacherMax,
      first_group_coefficients: s.firstGroups.map((v) => Array.from(v)),
    };
  },
};
