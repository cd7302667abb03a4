import { z } from 'zod';
import type { Experiment, Cell } from './types.js';
import type { Streams } from '../rng/streams.js';
import type { Rng } from '../rng/rng.js';
import { PairDraw, scanPair } from '../pruning/pair-rule.js';
import { RecordChain } from '../pruning/record-chain.js';
import { lemmaSuccessProbability, lemmaGlobalSuccessProbability, lemmaTheoryWidth, lemmaExactWidth } from '../pruning/pair-rule-theory.js';
import { deltaParam, epsilonParam, methodParam, subsetSumGuard } from './common-params.js';
import { SubsetSumBlock } from '../pruning/subset-sum-block.js';
import { MAX_SUBSET_VALUES } from '../pruning/subset-sum.js';
import { closestSubsetSum } from '../pruning/direct-subset-sum.js';
import { UserError } from '../errors.js';

/**
 * `weight-lemma`: the single-weight lemma of THEORY.md §4. One target weight w
 * (fixed, or uniform on [−1, 1] per seed), one block of k random units, the pair
 * rule with tolerance ε. Per-weight success = both units exist among the first k;
 * global (§5b) = the best unit of each side among the first k, or none when |w| is
 * closer, is within ε (so it also succeeds, with no unit, when |w| ≤ ε).
 */
export interface WeightLemmaParams extends Record<string, string | number> {
  w: number | 'uniform';
  epsilon: number;
  k: number;
  delta: number;
  sampler: 'skip' | 'scan';
  method: 'pair' | 'subset-sum';
  criterion: 'per-weight' | 'global';
  construction: 'product' | 'direct';
  coefficients: 'uniform' | 'target-range';
}

const draw = new PairDraw(); // reused: one seed at a time per worker thread
const chain = new RecordChain();
const unit = new Float64Array(2);

interface LemmaSeed {
  w: number;
  /** Per-weight rule: K = max(T⁺, T⁻) (null if unknown: scan stopped at k). */
  criticalWidth: number | null;
  /** Global: the smallest k′ with the best units within ε (0 when |w| ≤ ε: no unit needed). */
  globalCriticalWidth: number | null;
  success: boolean;
  /** The criterion's kept units' error (per-weight: null on failure). */
  error: number | null;
  sampledUnits: number;
  keptUnits: number | null;
  /** Kept units as [index, u, v] (for replay). */
  kept: [number, number, number][];
}
const subsetBlock = new SubsetSumBlock(MAX_SUBSET_VALUES);
const coefficients = new Float64Array(MAX_SUBSET_VALUES);

/** One seed's construction: the pair rule (record chain or scan) or subset sums over the scanned block. */
function construct(params: WeightLemmaParams, streams: Streams): LemmaSeed {
  const w = targetWeight(params, streams);
  const block = streams.get('block');
  const { k, epsilon: eps } = params;
  const global = params.criterion === 'global';
  const noneOk = Math.abs(w) <= eps;
  if (params.construction === 'direct') {
    // Pensia et al.'s code: w itself is the closest subset sum of k coefficients (no units, no
    // sign split; THEORY.md §2b, §6). The closest sum is already the best: both criteria agree.
    const [lo, hi] = params.coefficients === 'uniform' ? [-1, 1] : [-Math.abs(w), Math.abs(w)];
    for (let t = 0; t < k; t++) coefficients[t] = block.uniform(lo, hi);
    const r = closestSubsetSum(coefficients, k, w, eps);
    const ok = r.criticalWidth !== null;
    return {
      w, criticalWidth: r.criticalWidth, globalCriticalWidth: global ? r.criticalWidth : null, success: ok,
      error: ok || global ? r.error : null, sampledUnits: k, keptUnits: ok || global ? r.kept : null, kept: [],
    };
  }
  if (params.method === 'subset-sum') {
    // the empty subset is allowed on each side, so the per-weight rule already keeps "no unit" when |w| ≤ ε
    subsetBlock.scan(block, k);
    const critical = subsetBlock.criticalWidth(k, w, eps);
    const ok = critical > 0, error = Math.max(subsetBlock.errorPlus, subsetBlock.errorMinus);
    const kept = [...subsetBlock.keptPlus, ...subsetBlock.keptMinus].map((t): [number, number, number] => [t + 1, subsetBlock.u[t], subsetBlock.v[t]]);
    return {
      w, criticalWidth: ok ? critical : null, globalCriticalWidth: global ? (noneOk ? 0 : ok ? critical : null) : null,
      success: ok, error: ok || global ? error : null, sampledUnits: k, keptUnits: ok || global ? kept.length : null, kept,
    };
  }
  if (params.sampler === 'scan') return scanned(block, w, params);
  chain.run(block, w, eps, false, global ? k : 0, null);
  const K = Math.max(chain.plusIndex, chain.minusIndex);
  const kept: [number, number, number][] = [];
  if (!global) {
    const success = K <= k;
    let error: number | null = null;
    if (success) {
      const ePlus = chain.perWeightError(1), eMinus = chain.perWeightError(-1);
      chain.perWeightUnit(1, ePlus, unit); kept.push([chain.plusIndex, unit[0], unit[1]]);
      chain.perWeightUnit(-1, eMinus, unit); kept.push([chain.minusIndex, unit[0], unit[1]]);
      error = Math.max(ePlus, eMinus);
    }
    return { w, criticalWidth: K, globalCriticalWidth: null, success, error, sampledUnits: chain.sampledUnits, keptUnits: success ? 2 : null, kept };
  }
  // global: the side errors reach ε exactly when the first units within ε appear, unless |w| ≤ ε
  const globalCritical = noneOk ? 0 : K;
  for (const side of [1, -1] as const) {
    const level = side > 0 ? chain.bestPlusS : chain.bestMinusS;
    if (level >= chain.noneS) continue;
    chain.bestUnit(side, chain.errorAtLevel(level), unit);
    kept.push([side > 0 ? chain.bestPlusIndex : chain.bestMinusIndex, unit[0], unit[1]]);
  }
  return {
    w, criticalWidth: K, globalCriticalWidth: globalCritical, success: globalCritical <= k, error: chain.globalError,
    sampledUnits: chain.sampledUnits, keptUnits: kept.length, kept,
  };
}

/** Scan sampler: per-weight stops at the first hits (scanPair); global scans all k units for the best ones. */
function scanned(block: Rng, w: number, params: WeightLemmaParams): LemmaSeed {
  const { k, epsilon: eps } = params;
  if (params.criterion === 'per-weight') {
    scanPair(block, w, eps, k, draw);
    const found = draw.plusIndex > 0 && draw.minusIndex > 0;
    const success = found && draw.criticalWidth <= k;
    const kept: [number, number, number][] = success ? [[draw.plusIndex, draw.uPlus, draw.vPlus], [draw.minusIndex, draw.uMinus, draw.vMinus]] : [];
    return {
      w, criticalWidth: found ? draw.criticalWidth : null, globalCriticalWidth: null, success,
      error: success ? draw.error(w) : null, sampledUnits: draw.sampledUnits, keptUnits: success ? 2 : null, kept,
    };
  }
  const absW = Math.abs(w);
  let plusAt = 0, minusAt = 0, bestPlus = Infinity, bestMinus = Infinity;
  const best: [number, number, number][] = [[0, 0, 0], [0, 0, 0]];
  for (let t = 1; t <= k; t++) {
    const u = block.weight(), v = block.weight();
    const e = Math.abs(u * v - w);
    if (v > 0) {
      if (plusAt === 0 && e <= eps) plusAt = t;
      if (e < bestPlus) { bestPlus = e; best[0] = [t, u, v]; }
    } else if (v < 0) {
      if (minusAt === 0 && e <= eps) minusAt = t;
      if (e < bestMinus) { bestMinus = e; best[1] = [t, u, v]; }
    }
  }
  const found = plusAt > 0 && minusAt > 0;
  const error = Math.max(Math.min(bestPlus, absW), Math.min(bestMinus, absW));
  const kept = [bestPlus < absW ? best[0] : null, bestMinus < absW ? best[1] : null].filter((x): x is [number, number, number] => x !== null);
  const globalCritical = absW <= eps ? 0 : found ? Math.max(plusAt, minusAt) : null;
  return {
    w, criticalWidth: found ? Math.max(plusAt, minusAt) : null, globalCriticalWidth: globalCritical,
    success: globalCritical !== null, error, sampledUnits: k, keptUnits: kept.length, kept,
  };
}

function targetWeight(params: WeightLemmaParams, streams: Streams): number {
  return params.w === 'uniform' ? streams.get('target').weight() : params.w;
}

export const weightLemma: Experiment<WeightLemmaParams> = {
  name: 'weight-lemma',
  // 4: criterion (THEORY.md §5b); the skip sampler draws the record chain for both criteria
  // 5: construction "direct" and coefficients
  version: 5,
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
      doc: '"skip": record chain, exact in distribution, O(log(1/ε)) draws for per-weight and O(log k) for global; "scan": draw units one by one up to k (identical to a dense block)',
      allowed: '"skip" or "scan"',
    },
    method: methodParam,
    criterion: {
      schema: z.enum(['per-weight', 'global']),
      default: 'per-weight',
      structural: false,
      doc: '"per-weight": keep the first units within ε (THEORY.md §4); "global": keep the best unit of each side among the first k, or none when |w| is closer (§5b). Same draws; success differs only where |w| ≤ ε',
      allowed: '"per-weight" or "global"',
    },
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
    { name: 'success', type: 'bool', doc: 'per-weight: 1 when both a v > 0 and a v < 0 unit with |uv − w| ≤ ε are among the first k; global: 1 when the kept units\' error ≤ ε' },
    { name: 'error', doc: 'sup error on |x| ≤ 1 of the kept units: max over the sides of |uv − w| (|w| for a side without unit) (per-weight: empty on failure)' },
    { name: 'critical_width', type: 'int', histogram: true, doc: 'per-weight rule: K = max(T⁺, T⁻), the seed succeeds at every k ≥ K (either criterion; empty if unknown: scan stopped at k)' },
    { name: 'sampled_units', type: 'int', doc: 'units realized (scan) or stood for (skip: K for per-weight, max(K, k) for global)' },
    { name: 'w_value', doc: 'the target weight of this seed (drawn when w = "uniform")' },
    { name: 'kept_units', type: 'int', doc: 'units kept: 2 for the per-weight pair rule, 0–2 for global, |S⁺| + |S⁻| for subset sums (per-weight: empty on failure)' },
    { name: 'global_critical_width', type: 'int', histogram: true, doc: 'global: smallest k with the best units within ε (0 when |w| ≤ ε; empty if unknown, and under per-weight)' },
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
    return {
      w, epsilon, k, delta, sampler: given.sampler as 'skip' | 'scan', method, criterion: given.criterion as 'per-weight' | 'global',
      construction, coefficients: given.coefficients as 'uniform' | 'target-range',
    };
  },
  run(params, streams): Cell[] {
    const r = construct(params, streams);
    return [r.success ? 1 : 0, r.error, r.criticalWidth, r.sampledUnits, r.w, r.keptUnits, r.globalCriticalWidth];
  },
  summaryColumns: [
    { name: 'p_exact', doc: 'exact P(success) at k: the pair formula (THEORY.md §4), averaged over w for "uniform"; global: 1 where |w| ≤ ε' },
    { name: 'exact_width', doc: 'smallest k whose exact P(success) ≥ 1 − δ (the criterion\'s)' },
    { name: 'mean_error', doc: 'mean realized error over the seeds that have one (per-weight: successes; global: all)' },
  ],
  summarize(params, stats) {
    const pair = params.method === 'pair', global = params.criterion === 'global';
    return [
      pair ? (global ? lemmaGlobalSuccessProbability : lemmaSuccessProbability)(params.w, params.epsilon, params.k) : null,
      pair ? lemmaExactWidth(params.w, params.epsilon, params.delta, global) : null,
      stats.mean('error'),
    ];
  },
  // the pair rule's union bound; subset sums have no explicit constant (Lueker), so none
  theoryWidth: (params) => (params.method === 'pair' ? lemmaTheoryWidth(params.w, params.epsilon, params.delta) : null),
  widthParam: 'k',
  exactSuccess: (params, width) => (params.method === 'pair' ? lemmaSuccessProbability(params.w, params.epsilon, width) : NaN),
  explain(params, streams) {
    const r = construct(params, streams);
    if (params.construction === 'direct') {
      return { w: r.w, coefficients: Array.from(coefficients.subarray(0, params.k)), error: r.error, kept: r.keptUnits, critical_width: r.criticalWidth };
    }
    return {
      w: r.w, criterion: params.criterion, success: r.success, error: r.error,
      kept_units: r.kept.map(([index, u, v]) => ({ index, u, v, product: u * v })),
      critical_width: r.criticalWidth, global_critical_width: r.globalCriticalWidth,
    };
  },
};
