import type { Streams } from '../rng/streams.js';
import type { DenseNet } from '../nn/dense.js';
import { PrunedNet, PrunedPair } from '../nn/sparse.js';
import { layerTolerance } from './construction-theory.js';
import { privateSkipLayer, privateScanLayer, sharedLayer, type LayerInput, type LayerResult } from './pair-layers.js';
import { subsetSumLayer, subsetSumErrorsAt } from './subset-sum-layer.js';
import { GlobalWidth } from './global-width.js';

export type Criterion = 'per-weight' | 'global';

export interface ConstructionOptions {
  eps: number;
  /** Units per block. */
  k: number;
  layout: 'private' | 'shared';
  /** Private blocks: record chain (exact in distribution) or scanning the block's stream. Shared blocks always scan. */
  sampler: 'skip' | 'scan';
  /** Layers ≥ 2 see inputs ≥ 0, so one v > 0 unit (subset) suffices (THEORY.md §5 option). */
  oneSide: boolean;
  /** The pair rule (§4) or exact subset sums on each sign side (§7). */
  method: 'pair' | 'subset-sum';
  /** A per-weight tolerance overriding §5's τ_i (null: τ_i). */
  tau: number | null;
  /**
   * Which units are kept and what success means: "per-weight" (§5: the first units within τ_i,
   * success = every weight found them) or "global" (§5b: the best units among the first k,
   * success = certified error ≤ ε). Both read the same draws.
   */
  criterion: Criterion;
}

export interface Construction {
  /** The criterion's success: per-weight (every block within τ) or global (certified ≤ ε). */
  success: boolean;
  /** Every target weight found its per-weight units among the first k of its block (§5). */
  perWeightSuccess: boolean;
  prunedNet: PrunedNet;
  /** Per layer, the realized error e_ab of every target weight (row-major; per-weight: NaN where not found). */
  weightErrors: Float64Array[];
  /** η_i = ‖E_i‖_F per layer. */
  layerErrors: number[];
  /** Π(1 + η_i) − 1 ≥ sup over the ball of ‖Ḡ − F‖ (THEORY.md §5); NaN for a failed per-weight seed. */
  certifiedError: number;
  /** Per-weight rule: smallest k at which every block has its units (max over blocks); null when a scan stopped before. */
  criticalWidth: number | null;
  /** Global criterion: smallest k′ ≤ k with certified(k′) ≤ ε (§5b); null under per-weight or when k fails. */
  globalCriticalWidth: number | null;
  sampledUnits: number;
  /** Records drawn by the record chains (private blocks, skip sampler). */
  records: number;
  /** Target weights whose block found per-weight units among the first k, over all layers. */
  weightsOk: number;
  weightsTotal: number;
}

const globalWidth = new GlobalWidth();

/**
 * The constructions of THEORY.md §5 and §5b: for every target weight (a, b) of layer i,
 * units of its block of the random pair (M_{2i−1}, M_{2i}) — per-weight: the pair rule
 * with tolerance τ_i; global: the best units among the first k — kept at their drawn
 * values (nothing rescaled). Each block draws from its own substream `block/i/a/b`
 * (private) or `block/i/b` (shared), so critical widths are exact per seed and cells
 * differing in k or in the criterion share every draw.
 */
export function pruneToTarget(target: DenseNet, streams: Streams, options: ConstructionOptions): Construction {
  const { widths, layers } = target;
  const global = options.criterion === 'global';
  const steps = global && options.method === 'pair' ? globalWidth : null;
  steps?.reset();
  const pairs: PrunedPair[] = [];
  const weightErrors: Float64Array[] = [];
  const layerErrors: number[] = [];
  let perWeightSuccess = true, critical: number | null = 0, sampledUnits = 0, records = 0, weightsOk = 0, weightsTotal = 0;
  const inputs: LayerInput[] = [];
  for (let i = 0; i < layers.length; i++) {
    const cols = widths[i], rows = widths[i + 1];
    const pair = new PrunedPair(cols, rows, 2 * rows * cols, 2 * rows * cols);
    const errors = new Float64Array(rows * cols);
    const input: LayerInput = {
      w: layers[i], rows, cols, i, tau: options.tau ?? layerTolerance(widths, i, options.eps), oneSide: options.oneSide && i >= 1,
      k: options.k, streams, pair, errors, steps,
    };
    inputs.push(input);
    steps?.beginLayer(layers[i].map(Math.abs));
    const result: LayerResult = options.method === 'subset-sum'
      ? subsetSumLayer(input, options.layout, global)
      : options.layout === 'shared' ? sharedLayer(input)
        : options.sampler === 'skip' ? privateSkipLayer(input) : privateScanLayer(input);
    perWeightSuccess &&= result.perWeightSuccess;
    critical = critical === null || result.critical === null ? null : Math.max(critical, result.critical);
    sampledUnits += result.sampledUnits;
    records += result.records;
    weightsOk += result.blocksOk;
    weightsTotal += errors.length;
    pairs.push(pair);
    weightErrors.push(errors);
    layerErrors.push(frobenius(errors));
  }
  const certifiedError = certify(layerErrors);
  let globalCriticalWidth: number | null = null;
  if (steps) globalCriticalWidth = steps.criticalWidth(options.k, options.eps);
  else if (global) globalCriticalWidth = subsetSumCriticalWidth(inputs, options, certifiedError);
  return {
    success: global ? certifiedError <= options.eps : perWeightSuccess,
    perWeightSuccess,
    prunedNet: new PrunedNet(pairs),
    weightErrors,
    layerErrors,
    certifiedError,
    criticalWidth: critical,
    globalCriticalWidth,
    sampledUnits,
    records,
    weightsOk,
    weightsTotal,
  };
}

/** ‖E‖_F as a row-major sum of squares (the order GlobalWidth.certifiedAt repeats). */
function frobenius(errors: Float64Array): number {
  let eta2 = 0;
  for (let j = 0; j < errors.length; j++) eta2 += errors[j] * errors[j];
  return Math.sqrt(eta2);
}

/** Π(1 + η_i) − 1 (THEORY.md §5), in layer order. */
function certify(layerErrors: number[]): number {
  let certified = 1;
  for (const eta of layerErrors) certified *= 1 + eta;
  return certified - 1;
}

/**
 * Global criterion with subset sums: the smallest k′ ≤ k with certified(k′) ≤ ε, by
 * bisection, re-solving every block at each k′ (closest subset sums are monotone in k′:
 * more units, more subsets). `certifiedAtK` is the construction's own value at k.
 */
function subsetSumCriticalWidth(inputs: LayerInput[], options: ConstructionOptions, certifiedAtK: number): number | null {
  if (!(certifiedAtK <= options.eps)) return null;
  const scratch = inputs.map((input) => ({ ...input, errors: new Float64Array(input.errors.length) }));
  const certifiedAt = (kPrime: number) => certify(scratch.map((input) => {
    subsetSumErrorsAt(input, options.layout, kPrime);
    return frobenius(input.errors);
  }));
  if (certifiedAt(0) <= options.eps) return 0;
  let lo = 0, hi = options.k;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (certifiedAt(mid) <= options.eps) hi = mid; else lo = mid;
  }
  return hi;
}
