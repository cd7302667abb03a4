import { z } from 'zod';
import type { Experiment, Cell } from './types.js';
import type { Streams } from '../rng/streams.js';
import { PairDraw, skipPair, scanPair } from '../pruning/pair-rule.js';
import { lemmaSuccessProbability, lemmaTheoryWidth, lemmaExactWidth } from '../pruning/pair-rule-theory.js';
import { deltaParam, epsilonParam, methodParam, subsetSumGuard } from './common-params.js';
import { UserError } from '../errors.js';
import { SubsetSumBlock } from '../pruning/subset-sum-block.js';
import { MAX_SUBSET_VALUES } from '../pruning/subset-sum.js';
import { closestSubsetSum } from '../pruning/direct-subset-sum.js';

/**
 * `weight-lemma`: the single-weight lemma of THEORY.md §4. One target weight w
 * (fixed, or uniform on [−1, 1] per seed), one block of k random units, the pair
 * rule with tolerance ε. Success = both units exist among the first k.
 */
export interface WeightLemmaParams extends Record<string, string | number> {
  w: number | 'uniform';
  epsilon: number;
  k: number;
  delta: number;
  sampler: 'skip' | 'scan';
  method: 'pair' | 'subset-sum';
  construction: 'product' | 'direct';
  coefficients: 'uniform' | 'target-range';
}

const draw = new PairDraw(); // reused: one seed at a time per worker thread
const subsetBlock = new SubsetSumBlock(MAX_SUBSET_VALUES);
const coefficients = new Float64Array(MAX_SUBSET_VALUES);

/** One seed's construction: the pair rule (skipping or scanning) or subset sums over the scanned block. */
function construct(params: WeightLemmaParams, streams: Streams): { w: number; criticalWidth: number | null; error: number | null; sampledUnits: number; keptUnits: number | null } {
  const w = targetWeight(params, streams);
  const block = streams.get('block');
  if (params.construction === 'direct') {
    // Pensia et al.'s code: w itself is a subset sum of k coefficients (no units, no sign split; THEORY.md §2b, §6)
    const [lo, hi] = params.coefficients === 'uniform' ? [-1, 1] : [-Math.abs(w), Math.abs(w)];
    for (let t = 0; t < params.k; t++) coefficients[t] = block.uniform(lo, hi);
    const r = closestSubsetSum(coefficients, params.k, w, params.epsilon);
    const ok = r.criticalWidth !== null;
    return { w, criticalWidth: r.criticalWidth, error: ok ? r.error : null, sampledUnits: params.k, keptUnits: ok ? r.kept : null };
  }
  if (params.method === 'subset-sum') {
    subsetBlock.scan(block, params.k);
    const critical = subsetBlock.criticalWidth(params.k, w, params.epsilon);
    const ok = critical > 0;
    return {
      w, criticalWidth: ok ? critical : null, error: ok ? Math.max(subsetBlock.errorPlus, subsetBlock.errorMinus) : null,
      sampledUnits: params.k, keptUnits: ok ? subsetBlock.keptPlus.length + subsetBlock.keptMinus.length : null,
    };
  }
  if (params.sampler === 'skip') skipPair(block, w, params.epsilon, draw);
  else scanPair(block, w, params.epsilon, params.k, draw);
  const found = draw.plusIndex > 0 && draw.minusIndex > 0;
  const criticalWidth = found ? draw.criticalWidth : null;
  const success = criticalWidth !== null && criticalWidth <= params.k;
  return { w, criticalWidth, error: success ? draw.error(w) : null, sampledUnits: draw.sampledUnits, keptUnits: success ? 2 : null };
}

function targetWeight(params: WeightLemmaParams, streams: Streams): number {
  return params.w === 'uniform' ? streams.get('target').weight() : params.w;
}

export const weightLemma: Experiment<WeightLemmaParams> = {
  name: 'weight-lemma',
  version: 4,
  summary: 'single-weight lemma (THEORY.md §4): can a block of k random units (u, v) ~ U[-1,1]² express x -> w·x within ε by keeping two of them?',
  params: {
    w: {
      schema: z.union([z.number().min(-1).max(1), z.literal('uniform')]),
      default: 'uniform',
      structural: true,
      doc: 'the target weight, or "uniform" to draw w ~ U[-1,1] per seed',
      allowed: 'a number in [-1, 1] or "uniform"',
    },
    epsilon: epsilonParam(0.1),
    k: {
      schema: z.union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.literal('theory'), z.literal('exact')]),
      default: 'theory',
      structural: false,
      doc: 'units in the block: an integer, "theory" (the lemma\'s union-bound width ⌈ln(2/δ)/q⌉) or "exact" (smallest k with exact P ≥ 1 − δ)',
      allowed: 'an integer ≥ 1, "theory" or "exact"',
      integer: true,
    },
    delta: deltaParam,
    sampler: {
      schema: z.enum(['skip', 'scan']),
      default: 'skip',
      structural: false,
      doc: '"skip": geometric skipping, cost independent of k and ε (exact in distribution); "scan": draw units one by one up to k (identical to a dense block)',
      allowed: '"skip" or "scan"',
    },
    method: methodParam,
    construction: {
      schema: z.enum(['product', 'direct']),
      default: 'product',
      structural: false, // the block's stream is read as units or as coefficients: cells stay paired, and existing cells keep their keys
      doc: '"product": units (u, v) with u·v approximating w (THEORY.md §4, §7); "direct": w as the closest subset sum of k coefficients (Pensia et al.\'s code; method "subset-sum", success = error ≤ ε)',
      allowed: '"product" or "direct"',
    },
    coefficients: {
      schema: z.enum(['uniform', 'target-range']),
      default: 'uniform',
      structural: false, // the same uniforms, rescaled: ranges compare seed by seed
      doc: 'direct: coefficients U[-1, 1], or "target-range" U[-|w|, |w|] (choice: the range of a target whose largest weight is |w|; Pensia\'s code takes [min, max] over the whole target)',
      allowed: '"uniform" or "target-range"',
    },
  },
  columns: [
    { name: 'success', type: 'bool', doc: '1 when both a v > 0 and a v < 0 unit with |uv − w| ≤ ε are among the first k' },
    { name: 'error', doc: 'max(|u⁺v⁺ − w|, |u⁻v⁻ − w|) of the kept pair = its sup error on |x| ≤ 1 (empty on failure)' },
    { name: 'critical_width', type: 'int', histogram: true, doc: 'K = max(T⁺, T⁻): the seed succeeds at every k ≥ K (empty if unknown: scan stopped at k)' },
    { name: 'sampled_units', type: 'int', doc: 'units realized (scan) or stood for (skip: K)' },
    { name: 'w_value', doc: 'the target weight of this seed (drawn when w = "uniform")' },
    { name: 'kept_units', type: 'int', doc: 'units kept: 2 for the pair rule, |S⁺| + |S⁻| for subset sums (empty on failure)' },
  ],
  resolve(given) {
    const w = given.w as number | 'uniform';
    const epsilon = given.epsilon as number;
    const delta = given.delta as number;
    const method = given.method as 'pair' | 'subset-sum';
    let k = given.k as number | 'theory' | 'exact';
    if (method === 'subset-sum' && typeof k !== 'number') throw subsetSumGuard(`k = "${k}"`);
    if (k === 'theory') k = lemmaTheoryWidth(w, epsilon, delta);
    else if (k === 'exact') k = lemmaExactWidth(w, epsilon, delta);
    if (method === 'subset-sum' && k > MAX_SUBSET_VALUES) throw subsetSumGuard(`k = ${k}`);
    const construction = given.construction as 'product' | 'direct';
    if (construction === 'direct' && method !== 'subset-sum') throw new UserError('construction "direct" needs method "subset-sum" (w is a subset sum of the k coefficients)');
    return { w, epsilon, k, delta, sampler: given.sampler as 'skip' | 'scan', method, construction, coefficients: given.coefficients as 'uniform' | 'target-range' };
  },
  run(params, streams): Cell[] {
    const r = construct(params, streams);
    const success = r.criticalWidth !== null && r.criticalWidth <= params.k;
    return [success ? 1 : 0, success ? r.error : null, r.criticalWidth, r.sampledUnits, r.w, success ? r.keptUnits : null];
  },
  summaryColumns: [
    { name: 'p_exact', doc: 'exact P(success) at k: the pair formula (THEORY.md §4), averaged over w for "uniform"' },
    { name: 'exact_width', doc: 'smallest k whose exact P(success) ≥ 1 − δ' },
    { name: 'mean_error', doc: 'mean realized error over successful seeds' },
  ],
  summarize(params, stats) {
    const pair = params.method === 'pair';
    return [
      pair ? lemmaSuccessProbability(params.w, params.epsilon, params.k) : null,
      pair ? lemmaExactWidth(params.w, params.epsilon, params.delta) : null,
      stats.mean('error'),
    ];
  },
  // the pair rule's union bound; subset sums have no explicit constant (Lueker), so none
  theoryWidth: (params) => (params.method === 'pair' ? lemmaTheoryWidth(params.w, params.epsilon, params.delta) : null),
  widthParam: 'k',
  exactSuccess: (params, width) => (params.method === 'pair' ? lemmaSuccessProbability(params.w, params.epsilon, width) : NaN),
  explain(params, streams) {
    const r = construct(params, streams);
    if (params.construction === 'direct') return { w: r.w, coefficients: Array.from(coefficients.subarray(0, params.k)), error: r.error, kept: r.keptUnits, critical_width: r.criticalWidth };
    if (params.method === 'subset-sum') {
      const unit = (t: number) => ({ index: t + 1, u: subsetBlock.u[t], v: subsetBlock.v[t], product: subsetBlock.u[t] * subsetBlock.v[t] });
      return { w: r.w, kept_plus: subsetBlock.keptPlus.map(unit), kept_minus: subsetBlock.keptMinus.map(unit),
        error_plus: subsetBlock.errorPlus, error_minus: subsetBlock.errorMinus, critical_width: r.criticalWidth };
    }
    return {
      w: r.w,
      plus_unit: { index: draw.plusIndex, u: draw.uPlus, v: draw.vPlus, product: draw.uPlus * draw.vPlus },
      minus_unit: { index: draw.minusIndex, u: draw.uMinus, v: draw.vMinus, product: draw.uMinus * draw.vMinus },
      critical_width: r.criticalWidth,
    };
  },
};
