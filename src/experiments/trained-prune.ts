import { z } from 'zod';
import type { Experiment, Cell, Value, ColumnSpec } from './types.js';
import type { Streams } from '../rng/streams.js';
import { deltaParam, methodParam, subsetSumGuard } from './common-params.js';
import { DATA_FORMS } from './sphere-data-params.js';
import { UserError } from '../errors.js';
import { MAX_SUBSET_VALUES } from '../pruning/subset-sum.js';
import { denseForwardBatch, type DenseNet } from '../nn/dense.js';
import { sampledSupErrorBatch, DEFAULT_SUP_SEARCH } from '../nn/sup-error.js';
import { prunedForwardChunked } from '../nn/chunked-forward.js';
import type { PrunedNet } from '../nn/sparse.js';
import { pruneToTarget } from '../pruning/weight-construction.js';
import { constructionTheoryWidths, targetWeightCount } from '../pruning/construction-theory.js';
import { directSubsetSum, type CoefficientRange } from '../pruning/direct-subset-sum.js';
import { normalizeLike } from '../models/normalize.js';
import { trainedTarget, argmaxColumns, type TrainedTarget } from '../models/trained-target.js';

/**
 * `trained-prune`: a trained network as the target (THEORY.md §2b). The file's MLP is put
 * into §2's class (F̂(x̂) = f(x)/S), then either the theorem's product construction
 * (§3–§5: a depth-2l random net with U[−1, 1] weights, pair rule or subset sums per weight)
 * or Pensia et al.'s direct construction (each raw weight a subset sum of k coefficients)
 * replaces it, and the result is measured on real data points: errors in the normalized
 * scale, accuracies from running the pruned network itself.
 */
export interface TrainedPruneParams extends Record<string, Value> {
  model: string;
  data: string;
  split: 'test' | 'train';
  data_points: number | null;
  construction: 'product' | 'direct';
  layout: 'private' | 'shared';
  coefficients: CoefficientRange;
  method: 'pair' | 'subset-sum';
  criterion: 'per-weight' | 'global';
  k: number;
  epsilon: number;
  tau: number | null;
  sampler: 'skip' | 'scan';
  delta: number;
  /** Derived by resolve(): */
  epsilon_relative: number | null;
  scale: number;
  epsilon_original: number;
  theory_k: number | null;
  model_sha256: string;
  data_sha256: string;
}

/** Above this many weights × 2^(k/2) subset-sum steps a seed would take hours: k = 21 on 784-500-10 is 5.7·10⁸. */
const DIRECT_WORK_LIMIT = 2e10;

function targetOf(p: Pick<TrainedPruneParams, 'model' | 'data' | 'split' | 'data_points'>): TrainedTarget {
  return trainedTarget({ model: p.model, data: p.data, split: p.split, dataPoints: p.data_points });
}

/** THEORY.md §5's union-bound width for the normalized target (pair rule at §5's tolerances only). */
function theoryK(p: TrainedPruneParams, widths: number[]): number | null {
  if (p.construction !== 'product' || p.method !== 'pair' || p.tau !== null) return null;
  return constructionTheoryWidths(widths, p.epsilon, p.delta, p.layout, false).width;
}

export interface TrainedPruneSeed {
  success: boolean;
  certifiedError: number;
  /** Ḡ's (or the direct net's) outputs on the data points, feature-major. */
  outputs: Float64Array;
  sampledError: number;
  weightsOk: number;
  weightsTotal: number;
  keptWeights: number;
  criticalWidth: number | null;
  /** The pruned net (product) or the normalized net with subset-sum weights (direct). */
  pruned: { kind: 'product'; net: PrunedNet } | { kind: 'direct'; net: DenseNet };
}

/** One seed's construction and its pruned net's outputs (shared by run() and replay). */
export function trainedPruneSeed(p: TrainedPruneParams, streams: Streams): TrainedPruneSeed {
  const t = targetOf(p);
  if (t.modelSha256 !== p.model_sha256 || t.dataSha256 !== p.data_sha256) {
    throw new Error(`${p.model} or ${p.data} changed since this run was configured (sha256 differs)`);
  }
  const F = t.normalized.net, d = F.widths[0], out = F.widths[F.widths.length - 1];
  const outputs = new Float64Array(out * t.points);
  const width = Math.max(...F.widths), P = DEFAULT_SUP_SEARCH.points;
  const scratch: [Float64Array, Float64Array] = [new Float64Array(width * P), new Float64Array(width * P)];
  const forwardF = (X: Float64Array, count: number, o: Float64Array) => denseForwardBatch(F, X, count, o, scratch);
  if (p.construction === 'direct') {
    const result = directSubsetSum(t.trained, streams, { k: p.k, tau: p.tau!, coefficients: p.coefficients });
    const G = normalizeLike(t.normalized, result.net);
    const gScratch: [Float64Array, Float64Array] = [new Float64Array(width * Math.max(P, t.points)), new Float64Array(width * Math.max(P, t.points))];
    denseForwardBatch(G, t.inputs, t.points, outputs, gScratch);
    const sampledError = sampledSupErrorBatch(forwardF, (X, count, o) => denseForwardBatch(G, X, count, o, gScratch),
      d, out, streams.get('probe'), DEFAULT_SUP_SEARCH, new Float64Array(d));
    return {
      success: result.success, certifiedError: perturbationCertificate(F, G), outputs, sampledError,
      weightsOk: result.weightsOk, weightsTotal: result.weightsTotal, keptWeights: result.keptCoefficients, criticalWidth: result.criticalWidth,
      pruned: { kind: 'direct', net: G },
    };
  }
  const options = { eps: p.epsilon, k: p.k, layout: p.layout, sampler: p.sampler, oneSide: false, method: p.method, tau: p.tau, criterion: p.criterion };
  const construction = pruneToTarget(F, streams, options);
  // a failed per-weight seed is measured on the global criterion's subnetwork of the same draws:
  // every block keeps its best units among the first k (THEORY.md §5b), so Ḡ and its certificate exist
  const measured = construction.success || p.criterion === 'global' ? construction : pruneToTarget(F, streams, { ...options, criterion: 'global' });
  const G = measured.prunedNet;
  prunedForwardChunked(G, t.inputs, t.points, outputs);
  const sampledError = sampledSupErrorBatch(forwardF, (X, count, o) => prunedForwardChunked(G, X, count, o),
    d, out, streams.get('probe'), DEFAULT_SUP_SEARCH, new Float64Array(d));
  return {
    success: construction.success, certifiedError: measured.certifiedError, outputs, sampledError,
    weightsOk: construction.weightsOk, weightsTotal: construction.weightsTotal, keptWeights: G.keptWeights,
    criticalWidth: p.criterion === 'global' ? construction.globalCriticalWidth : construction.criticalWidth,
    pruned: { kind: 'product', net: G },
  };
}

/** THEORY.md §5's certificate for a net of F's shape with perturbed weights: Π(1 + ‖Ŵ′_i − Ŵ_i‖_F) − 1. */
export function perturbationCertificate(F: DenseNet, G: DenseNet): number {
  let certified = 1;
  F.layers.forEach((w, i) => {
    let s = 0;
    for (let j = 0; j < w.length; j++) s += (G.layers[i][j] - w[j]) ** 2;
    certified *= 1 + Math.sqrt(s);
  });
  return certified - 1;
}

const COLUMNS: ColumnSpec[] = [
  { name: 'success', type: 'bool', doc: 'product per-weight: every target weight found units within its tolerance (THEORY.md §5); global: certified_error ≤ ε (§5b); direct: every |subset sum − w| ≤ tau' },
  { name: 'certified_error', doc: 'Π(1 + ‖E_i‖_F) − 1 ≥ sup over the unit ball of ‖Ḡ(x̂) − F̂(x̂)‖, normalized scale (a failed per-weight seed is measured on the global criterion\'s Ḡ: the best units of every block, same draws)' },
  { name: 'sampled_error', doc: 'max of ‖Ḡ − F̂‖ over 256 sphere points plus local ascent: a lower bound of the sup, normalized scale' },
  { name: 'data_max_error', doc: 'max over the data points of ‖Ḡ(x̂) − F̂(x̂)‖ (normalized scale; ≤ certified_error)' },
  { name: 'data_mean_error', doc: 'mean over the data points of ‖Ḡ(x̂) − F̂(x̂)‖ (normalized scale)' },
  { name: 'target_accuracy', doc: 'accuracy of the trained net on the data points' },
  { name: 'pruned_accuracy', doc: 'accuracy of the pruned net Ḡ itself (its 2l layers with the kept random weights; direct: f with the subset sums as weights)' },
  { name: 'agreement', doc: 'fraction of data points where Ḡ and the target predict the same class' },
  { name: 'certified_agreement', doc: 'fraction of data points whose target top-1 minus top-2 margin exceeds 2·certified_error (Ḡ provably predicts the same class)' },
  { name: 'weights_ok_fraction', doc: 'fraction of target weights within their tolerance' },
  { name: 'kept_weights', type: 'int', doc: 'weights of G kept in Ḡ (direct: coefficients kept over all weights)' },
  { name: 'kept_per_weight', doc: 'kept_weights divided by the number of target weights (direct: Pensia et al.\'s kept coefficients per weight)' },
  { name: 'critical_width', type: 'int', histogram: true, doc: 'smallest k at which this seed succeeds under its criterion (empty when not found within the scan, or when k fails under global)' },
];

export const trainedPrune: Experiment<TrainedPruneParams> = {
  name: 'trained-prune',
  version: 1,
  summary: 'a trained MLP (ONNX or safetensors) as the target (THEORY.md §2b): prune a depth-2l random net to it, or replace its weights by subset sums (Pensia), and measure on real data',
  params: {
    model: {
      schema: z.string().min(1), structural: false, file: true,
      doc: 'the trained network: an .onnx or .safetensors file (path relative to the trial file); the config hash uses its sha256',
      allowed: 'a path to an .onnx or .safetensors file',
    },
    data: {
      schema: z.string().min(1), default: 'fashion-mnist', structural: false, file: true, keywords: ['fashion-mnist'],
      doc: `${DATA_FORMS}; uint8 pixels are divided by 255`,
      allowed: '"fashion-mnist", a directory, or {"images": FILE, "labels": FILE}',
    },
    split: { schema: z.enum(['test', 'train']), default: 'test', structural: false, doc: 'which split of a directory data set', allowed: '"test" or "train"' },
    data_points: {
      schema: z.number().int().min(1).nullable(), default: null, structural: false, integer: true,
      doc: 'how many data points, drawn without replacement from the data\'s content hash (null: all)',
      allowed: 'an integer ≥ 1 or null',
    },
    construction: {
      schema: z.enum(['product', 'direct']), default: 'product', structural: true,
      doc: '"product": THEORY.md §3–§5 (depth-2l random net, U[-1,1] units); "direct": Pensia\'s code, each raw weight a subset sum of k coefficients (method "subset-sum" only)',
      allowed: '"product" or "direct"',
    },
    layout: {
      schema: z.enum(['private', 'shared']), default: 'private', structural: true,
      doc: 'product: "private" (k units per target weight) or "shared" (k units per input coordinate, Pensia)',
      allowed: '"private" or "shared"',
    },
    coefficients: {
      schema: z.enum(['uniform', 'target-range']), default: 'uniform', structural: true,
      doc: 'direct: coefficients U[-1,1] ("uniform") or U[min w, max w] over the whole target ("target-range", Pensia\'s code)',
      allowed: '"uniform" or "target-range"',
    },
    method: methodParam,
    criterion: {
      schema: z.enum(['per-weight', 'global']), default: 'per-weight', structural: false,
      doc: '"per-weight": success when every weight found units within its tolerance (THEORY.md §5); "global": the best units among the first k, success = certified error ≤ ε (§5b); product only, same draws',
      allowed: '"per-weight" or "global"',
    },
    k: {
      schema: z.union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.literal('theory')]),
      default: 'theory', structural: false, integer: true,
      doc: 'units per block (direct: coefficients per weight), or "theory" (THEORY.md §5\'s union-bound width for the normalized target; product, pair, no tau)',
      allowed: 'an integer ≥ 1 or "theory"',
    },
    epsilon: {
      schema: z.union([z.number().gt(0).max(1), z.object({ relative: z.number().gt(0).max(1) }).strict()]),
      default: { relative: 0.1 }, structural: false,
      doc: 'ε for the normalized net F̂, or {"relative": r} = r × max |F̂(x̂)| over the data points (a trained net\'s normalized logits are small); the guarantee on f is S·ε',
      allowed: 'a number in (0, 1] or {"relative": r} with r in (0, 1]',
    },
    tau: {
      schema: z.number().gt(0).max(1).nullable(), default: null, structural: false,
      doc: 'a per-weight tolerance replacing THEORY.md §5\'s τ_i (required by "direct", in the raw weights\' scale there)',
      allowed: 'a number in (0, 1] or null',
    },
    sampler: {
      schema: z.enum(['skip', 'scan']), default: 'skip', structural: false,
      doc: 'product, pair, private: "skip" (geometric skipping) or "scan"',
      allowed: '"skip" or "scan"',
    },
    delta: deltaParam,
  },
  columns: COLUMNS,
  resolve(given) {
    const p = { ...given } as unknown as TrainedPruneParams;
    const t = targetOf(p);
    const eps = given.epsilon as unknown as number | { relative: number };
    p.epsilon_relative = typeof eps === 'number' ? null : eps.relative;
    p.epsilon = typeof eps === 'number' ? eps : eps.relative * t.maxAbsOutput;
    p.data_points = t.points;
    p.scale = t.normalized.S;
    p.epsilon_original = p.scale * p.epsilon;
    p.model_sha256 = t.modelSha256;
    p.data_sha256 = t.dataSha256;
    if (p.construction === 'direct') {
      if (p.method !== 'subset-sum') throw new UserError('construction "direct" needs method "subset-sum" (each weight is a subset sum of its k coefficients)');
      if (p.tau === null) throw new UserError('construction "direct" needs tau, the per-weight tolerance in the raw weights\' scale (Pensia et al.: 0.01)');
      if (p.criterion !== 'per-weight') throw new UserError('criterion "global" applies to construction "product" (direct: success = every weight within tau)');
    }
    p.theory_k = theoryK(p, t.normalized.net.widths);
    if ((given.k as number | 'theory') === 'theory') {
      if (p.theory_k === null) throw new UserError('k = "theory" is defined only for construction "product", method "pair" at THEORY.md §5\'s tolerances (no tau); give k as a number');
      p.k = p.theory_k;
    }
    if (p.method === 'subset-sum' && p.k > MAX_SUBSET_VALUES) throw subsetSumGuard(`k = ${p.k}`);
    if (p.method === 'subset-sum') {
      const weights = targetWeightCount(t.normalized.net.widths);
      if (weights * 2 ** (p.k / 2) > DIRECT_WORK_LIMIT) {
        throw new UserError(`method "subset-sum" with k = ${p.k} on ${weights} target weights would take hours a seed (weights × 2^(k/2) must be ≤ ${DIRECT_WORK_LIMIT}); lower k`);
      }
    }
    return p;
  },
  run(p, streams): Cell[] {
    return measure(targetOf(p), trainedPruneSeed(p, streams));
  },
  summaryColumns: [
    { name: 'mean_target_accuracy', doc: 'target accuracy on the data points (the same for every seed)' },
    { name: 'mean_pruned_accuracy', doc: 'mean over seeds of the pruned net\'s accuracy' },
    { name: 'min_pruned_accuracy', doc: 'lowest pruned accuracy over seeds' },
    { name: 'mean_agreement', doc: 'mean fraction of points where pruned and target predict the same class' },
    { name: 'mean_certified_error', doc: 'mean certified error (normalized scale), every seed' },
    { name: 'max_data_error', doc: 'largest data_max_error over seeds' },
    { name: 'mean_weights_ok_fraction', doc: 'mean fraction of weights within tolerance' },
    { name: 'mean_kept_per_weight', doc: 'mean kept weights (direct: coefficients) per target weight' },
    { name: 'median_critical_width', doc: 'median over seeds of the critical width (a seed without one counts as +∞)' },
  ],
  summarize(_p, stats) {
    return [
      stats.mean('target_accuracy'), stats.mean('pruned_accuracy'), stats.min('pruned_accuracy'), stats.mean('agreement'),
      stats.mean('certified_error'), stats.max('data_max_error'), stats.mean('weights_ok_fraction'), stats.mean('kept_per_weight'),
      stats.median('critical_width', 'infinity'),
    ];
  },
  theoryWidth: (p) => p.theory_k,
  theoryExtras: {
    mean_pruned_accuracy: 'pruned accuracy', mean_target_accuracy: 'target accuracy',
    mean_weights_ok_fraction: 'weights within tolerance', mean_kept_per_weight: 'kept per weight',
  },
  widthParam: 'k',
  explain(p, streams) {
    const t = targetOf(p);
    const seed = trainedPruneSeed(p, streams);
    const row = measure(t, seed);
    return {
      normalization: {
        widths: t.normalized.net.widths, augmented: t.normalized.augmented, rho: t.normalized.rho, gammas: t.normalized.gammas,
        R: t.normalized.R, layer_scales: t.normalized.layerScales, S: t.normalized.S,
      },
      points: t.points,
      ...Object.fromEntries(COLUMNS.map((c, j) => [c.name, row[j]])),
    };
  },
};

/** The per-seed row from a seed's outputs on the data points (columns in COLUMNS order). */
export function measure(t: TrainedTarget, seed: TrainedPruneSeed): Cell[] {
  const out = t.normalized.net.widths[t.normalized.net.widths.length - 1], P = t.points;
  const predictions = argmaxColumns(seed.outputs, out, P);
  let maxError = 0, sumError = 0, correct = 0, agree = 0, certifiedAgree = 0;
  for (let p = 0; p < P; p++) {
    let s = 0;
    for (let a = 0; a < out; a++) s += (seed.outputs[a * P + p] - t.outputs[a * P + p]) ** 2;
    const e = Math.sqrt(s);
    maxError = Math.max(maxError, e);
    sumError += e;
    if (predictions[p] === t.labels[p]) correct++;
    if (predictions[p] === t.predictions[p]) agree++;
    if (t.margins[p] > 2 * seed.certifiedError) certifiedAgree++;
  }
  return [
    seed.success ? 1 : 0, seed.certifiedError, seed.sampledError, maxError, sumError / P, t.accuracy, correct / P, agree / P,
    certifiedAgree / P, seed.weightsOk / seed.weightsTotal, seed.keptWeights, seed.keptWeights / seed.weightsTotal, seed.criticalWidth,
  ];
}
