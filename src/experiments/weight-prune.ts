import { z } from 'zod';
import type { Experiment, Cell } from './types.js';
import type { Streams } from '../rng/streams.js';
import { deltaParam, epsilonParam, methodParam, subsetSumGuard } from './common-params.js';
import { MAX_SUBSET_VALUES } from '../pruning/subset-sum.js';
import { UserError } from '../errors.js';
import { sampleTarget, targetWidths, worstTargetProblem, type TargetKind } from '../nn/target.js';
import { denseForwardBatch, type DenseNet } from '../nn/dense.js';
import { sampledSupErrorBatch, DEFAULT_SUP_SEARCH } from '../nn/sup-error.js';
import { pruneToTarget, type Construction, type Criterion } from '../pruning/weight-construction.js';
import { constructionTheoryWidths, constructionExactProbability } from '../pruning/construction-theory.js';

/**
 * `weight-prune`: the weight-pruning theorem (Malach et al. 2020; THEORY.md §2–§5).
 * A depth-l target F within the norm constraints, a depth-2l random network G with
 * U[−1, 1] weights in private or shared blocks, the pair-rule construction per target
 * weight with tolerance τ_i, and the check that Ḡ is within ε of F on the unit ball.
 */
export interface WeightPruneParams extends Record<string, string | number | boolean | null> {
  d: number;
  n: number;
  l: number;
  out: number;
  target: TargetKind;
  layout: 'private' | 'shared';
  k: number;
  epsilon: number;
  delta: number;
  one_side: boolean;
  sampler: 'skip' | 'scan';
  method: 'pair' | 'subset-sum';
  tau: number | null;
  criterion: Criterion;
}

const positiveInt = (doc: string, def: number, structural = true) => ({
  schema: z.number().int().min(1).max(100000),
  default: def,
  structural,
  doc,
  allowed: 'an integer in [1, 100000]',
  integer: true,
});

function widthsOf(p: WeightPruneParams): number[] {
  return targetWidths(p.d, p.n, p.l, p.out);
}

function theory(p: WeightPruneParams) {
  return constructionTheoryWidths(widthsOf(p), p.epsilon, p.delta, p.layout, p.one_side);
}

/** The theorem's width applies to the pair rule at §5's tolerances only (none for subset sums or a given tau). */
function hasTheoryWidth(p: WeightPruneParams): boolean {
  return p.method === 'pair' && p.tau === null;
}

export function sampleTargetFor(p: WeightPruneParams, streams: Streams): DenseNet {
  const rng = p.target === 'fixed' ? streams.cellStream('target') : streams.get('target');
  return sampleTarget(p.target, widthsOf(p), rng);
}

export interface WeightPruneSeed {
  target: DenseNet;
  construction: Construction;
  sampledError: number | null;
  worstInput: Float64Array;
}

/** Everything about one seed (shared by run() and replay). */
export function weightPruneSeed(p: WeightPruneParams, streams: Streams): WeightPruneSeed {
  const target = sampleTargetFor(p, streams);
  const construction = pruneToTarget(target, streams, {
    eps: p.epsilon, k: p.k, layout: p.layout, sampler: p.sampler, oneSide: p.one_side, method: p.method, tau: p.tau, criterion: p.criterion,
  });
  const worstInput = new Float64Array(p.d);
  let sampledError: number | null = null;
  // per-weight: measured on successes only (a failed seed has no complete subnetwork);
  // global: every seed keeps a subnetwork, so both errors are measured on every seed
  if (construction.success || p.criterion === 'global') {
    const P = DEFAULT_SUP_SEARCH.points, width = Math.max(p.n, p.d, p.out);
    const scratch: [Float64Array, Float64Array] = [new Float64Array(width * P), new Float64Array(width * P)];
    sampledError = sampledSupErrorBatch(
      (X, count, out) => denseForwardBatch(target, X, count, out, scratch),
      (X, count, out) => construction.prunedNet.forwardBatch(X, count, out),
      p.d, p.out, streams.get('probe'), DEFAULT_SUP_SEARCH, worstInput,
    );
  }
  return { target, construction, sampledError, worstInput };
}

export const weightPrune: Experiment<WeightPruneParams> = {
  name: 'weight-prune',
  // 4: criterion (THEORY.md §5b); skip sampling draws one record chain per block for both criteria,
  // so per-weight's realized units changed (same distribution). 5: exact ±M_i worst targets, sign targets
  version: 5,
  summary: 'weight-pruning theorem (THEORY.md §2–§5b): prune a depth-2l random net (U[-1,1] weights) to within ε of a depth-l target on the unit ball',
  params: {
    d: positiveInt('input dimension of the target', 4),
    n: positiveInt('hidden width of the target (unused when l = 1)', 8),
    l: { ...positiveInt('depth of the target (the random net has depth 2l)', 2), schema: z.number().int().min(1).max(20), allowed: 'an integer in [1, 20]' },
    out: positiveInt('output dimension of the target', 1),
    target: {
      schema: z.enum(['random', 'worst', 'sign', 'fixed']),
      default: 'random',
      structural: true,
      doc: '"random" (U[-M,M] entries, spectrally normalized), "worst" (entries exactly ±1/√n_in, orthogonal rows; only for n_i = 1, n_i = 2 with n_{i−1} even, or n_{i−1} a power of two ≥ n_i), "sign" (random ±1/√n_in, spectrally normalized), "fixed" (one random target per cell)',
      allowed: '"random", "worst", "sign" or "fixed"',
    },
    layout: {
      schema: z.enum(['private', 'shared']),
      default: 'private',
      structural: true,
      doc: '"private": k fresh units per target weight; "shared": k units per input coordinate, shared by all outputs (Pensia)',
      allowed: '"private" or "shared"',
    },
    k: {
      schema: z.union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.literal('theory')]),
      default: 'theory',
      structural: false,
      doc: 'units per block, or "theory" (max_i k_i, the union-bound width of THEORY.md §5)',
      allowed: 'an integer ≥ 1 or "theory"',
      integer: true,
    },
    epsilon: epsilonParam(0.1),
    delta: deltaParam,
    one_side: {
      schema: z.boolean(),
      default: false,
      structural: false,
      doc: 'layers ≥ 2 keep only the v > 0 unit (their inputs are ≥ 0; THEORY.md §5 option)',
      allowed: 'true or false',
    },
    sampler: {
      schema: z.enum(['skip', 'scan']),
      default: 'skip',
      structural: false,
      doc: 'private blocks: "skip" (record chain, exact in distribution, O(log k) draws a block) or "scan" (draw units one by one); shared blocks always scan',
      allowed: '"skip" or "scan"',
    },
    method: methodParam,
    tau: {
      schema: z.number().gt(0).max(1).nullable(),
      default: null,
      structural: false,
      doc: 'a per-weight tolerance overriding THEORY.md §5\'s τ_i (success = every weight within tau; theory_width is then empty)',
      allowed: 'a number in (0, 1] or null',
    },
    criterion: {
      schema: z.enum(['per-weight', 'global']),
      default: 'per-weight',
      structural: false,
      doc: '"per-weight": keep the first units within τ_i, success = every weight found them (THEORY.md §5); "global": keep the best units among the first k, success = certified error ≤ ε (§5b). Same draws',
      allowed: '"per-weight" or "global"',
    },
  },
  columns: [
    { name: 'success', type: 'bool', doc: 'per-weight: 1 when every target weight found its units among the first k of its block (implies certified_error ≤ ε); global: 1 when certified_error ≤ ε' },
    { name: 'certified_error', doc: 'Π(1 + ‖E_i‖_F) − 1 of the kept units: a bound on sup over the unit ball of ‖Ḡ(x) − F(x)‖ (per-weight: empty on failure)' },
    { name: 'sampled_error', doc: 'max of ‖Ḡ(x) − F(x)‖ over 256 sphere points plus local ascent: a lower bound of the sup (per-weight: empty on failure)' },
    { name: 'critical_width', type: 'int', histogram: true, doc: 'per-weight rule: smallest k at which every weight has its units (either criterion: same draws; empty when a scan stopped at k first)' },
    { name: 'kept_weights', type: 'int', doc: 'weights of G kept in Ḡ (per-weight, failed seed: those kept for the weights that succeeded)' },
    { name: 'sampled_units', type: 'int', doc: 'units realized (scan) or stood for (skip: per block max(K, k) for global, K for per-weight) over all blocks' },
    { name: 'p_exact', doc: 'exact P(success at k) for this seed\'s target, per-weight pair rule in private blocks (empty otherwise)' },
    { name: 'weights_ok_fraction', doc: 'fraction of target weights whose block found per-weight units within the tolerance among the first k' },
    { name: 'global_critical_width', type: 'int', histogram: true, doc: 'global: smallest k′ ≤ k whose best units have certified error ≤ ε (empty when k fails, and under per-weight)' },
    { name: 'sampled_success', type: 'bool', doc: 'global: 1 when sampled_error ≤ ε at this k (empty under per-weight)' },
  ],
  resolve(given) {
    const p = { ...given } as unknown as WeightPruneParams;
    const worstProblem = p.target === 'worst' ? worstTargetProblem(widthsOf(p)) : null;
    if (worstProblem) throw new UserError(worstProblem);
    if ((given.k as number | 'theory') === 'theory') {
      if (!hasTheoryWidth(p)) throw new UserError('k = "theory" is defined only for method "pair" at THEORY.md §5\'s tolerances (no tau); give k as a number');
      p.k = theory(p).width;
    }
    if (p.method === 'subset-sum' && p.k > MAX_SUBSET_VALUES) throw subsetSumGuard(`k = ${p.k}`);
    return p;
  },
  run(p, streams): Cell[] {
    const { target, construction, sampledError } = weightPruneSeed(p, streams);
    const ok = construction.success, global = p.criterion === 'global';
    return [
      ok ? 1 : 0,
      ok || global ? construction.certifiedError : null,
      sampledError,
      construction.criticalWidth,
      construction.prunedNet.keptWeights,
      construction.sampledUnits,
      !global && p.layout === 'private' && p.method === 'pair' ? constructionExactProbability(target, p.epsilon, p.k, p.one_side, p.tau) : null,
      construction.weightsOk / construction.weightsTotal,
      construction.globalCriticalWidth,
      global ? (sampledError! <= p.epsilon ? 1 : 0) : null,
    ];
  },
  summaryColumns: [
    { name: 'theory_middle_width', doc: 'total middle width Σ_i of the random net at the theory widths k_i' },
    { name: 'mean_p_exact', doc: 'mean over seeds of p_exact (private blocks): compare with p_hat' },
    { name: 'mean_certified_error', doc: 'mean certified error over the seeds that have one (per-weight: successes; global: all)' },
    { name: 'max_sampled_error', doc: 'largest sampled error over the seeds that have one (per-weight: successes; global: all)' },
    { name: 'sampled_successes', doc: 'global: seeds whose sampled error is ≤ ε — the upper side of the bracket P(certified ≤ ε) ≤ P(sup ≤ ε) ≤ P(sampled ≤ ε) (THEORY.md §5b)' },
    { name: 'p_hat_sampled', doc: 'global: sampled_successes / seeds' },
  ],
  summarize(p, stats) {
    const sampled = p.criterion === 'global' ? stats.sum('sampled_success') : null;
    return [
      hasTheoryWidth(p) ? theory(p).middleWidth : null, stats.mean('p_exact'), stats.mean('certified_error'), stats.max('sampled_error'),
      sampled, sampled === null ? null : sampled / stats.seeds,
    ];
  },
  theoryWidth: (p) => (hasTheoryWidth(p) ? theory(p).width : null),
  widthParam: 'k',
  explain(p, streams) {
    const { target, construction, sampledError, worstInput } = weightPruneSeed(p, streams);
    return {
      target_widths: target.widths,
      target_layers: target.layers.map((w) => Array.from(w)),
      success: construction.success,
      criterion: p.criterion,
      per_weight_success: construction.perWeightSuccess,
      critical_width: construction.criticalWidth,
      global_critical_width: construction.globalCriticalWidth,
      records: construction.records,
      layer_errors: construction.layerErrors,
      certified_error: construction.certifiedError,
      sampled_error: sampledError,
      worst_input: Array.from(worstInput),
      kept_weights_per_layer: construction.prunedNet.pairs.map((pair) => pair.keptWeights),
      pruned_net: construction.prunedNet.pairs.map((pair, i) => ({
        layer: i + 1,
        units: Array.from({ length: pair.unitCount }, (_, m) => ({
          input: pair.unitInput[m], v: pair.unitV[m], block: pair.unitBlock[m], index_in_block: pair.unitIndex[m],
        })),
        out_weights: Array.from({ length: pair.edgeCount }, (_, e) => ({
          unit: pair.edgeUnit[e], output: pair.edgeOutput[e], u: pair.edgeU[e],
        })),
      })),
    };
  },
};
