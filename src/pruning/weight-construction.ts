import type { Streams } from '../rng/streams.js';
import type { DenseNet } from '../nn/dense.js';
import { PrunedNet, PrunedPair } from '../nn/sparse.js';
import { PairDraw, skipPair, scanPair } from './pair-rule.js';
import { layerTolerance } from './construction-theory.js';
import { SubsetSumBlock } from './subset-sum-block.js';
import { MAX_SUBSET_VALUES } from './subset-sum.js';

export interface ConstructionOptions {
  eps: number;
  /** Units per block. */
  k: number;
  layout: 'private' | 'shared';
  /** Private blocks: geometric skipping (exact in distribution) or scanning the block's stream. Shared blocks always scan. */
  sampler: 'skip' | 'scan';
  /** Layers ≥ 2 see inputs ≥ 0, so one v > 0 unit suffices (THEORY.md §5 option). */
  oneSide: boolean;
  /** The pair rule (§4) or exact subset sums on each sign side (§7). */
  method: 'pair' | 'subset-sum';
  /** A per-weight tolerance overriding §5's τ_i (null: τ_i). */
  tau: number | null;
}

export interface Construction {
  /** Every target weight found its units among the first k of its block. */
  success: boolean;
  prunedNet: PrunedNet;
  /** Per layer, the realized error e_ab of every target weight (row-major; NaN where not found). */
  weightErrors: Float64Array[];
  /** η_i = ‖E_i‖_F per layer. */
  layerErrors: number[];
  /** Π(1 + η_i) − 1 ≥ sup over the ball of ‖Ḡ − F‖ (THEORY.md §5). */
  certifiedError: number;
  /** Smallest k at which this seed succeeds (max over blocks); null when a scan stopped before finding it. */
  criticalWidth: number | null;
  sampledUnits: number;
  /** Target weights whose block succeeded, over all layers. */
  weightsOk: number;
  weightsTotal: number;
}

const draw = new PairDraw();
const subsetBlock = new SubsetSumBlock(MAX_SUBSET_VALUES);

/**
 * The construction of THEORY.md §5: for every target weight (a, b) of layer i, the pair
 * rule with tolerance τ_i inside its block of the random pair (M_{2i−1}, M_{2i}); the
 * kept units keep their drawn weights (nothing rescaled). Each block draws from its own
 * substream `block/i/a/b` (private) or `block/i/b` (shared), so the critical width is
 * exact per seed and cells differing in k share every draw.
 */
export function pruneToTarget(target: DenseNet, streams: Streams, options: ConstructionOptions): Construction {
  const { widths, layers } = target;
  const pairs: PrunedPair[] = [];
  const weightErrors: Float64Array[] = [];
  const layerErrors: number[] = [];
  let success = true, critical: number | null = 0, sampledUnits = 0, weightsOk = 0, weightsTotal = 0;
  for (let i = 0; i < layers.length; i++) {
    const cols = widths[i], rows = widths[i + 1];
    const tau = options.tau ?? layerTolerance(widths, i, options.eps);
    const oneSide = options.oneSide && i >= 1;
    const pair = new PrunedPair(cols, rows, 2 * rows * cols, 2 * rows * cols);
    const errors = new Float64Array(rows * cols);
    const result = options.method === 'subset-sum'
      ? subsetSumLayer(layers[i], rows, cols, i, tau, streams, options, pair, errors)
      : options.layout === 'private'
        ? privateLayer(layers[i], rows, cols, i, tau, oneSide, streams, options, pair, errors)
        : sharedLayer(layers[i], rows, cols, i, tau, oneSide, streams, options.k, pair, errors);
    success &&= result.success;
    critical = critical === null || result.critical === null ? null : Math.max(critical, result.critical);
    sampledUnits += result.sampledUnits;
    let eta2 = 0;
    for (let j = 0; j < errors.length; j++) {
      eta2 += errors[j] * errors[j];
      if (!Number.isNaN(errors[j])) weightsOk++;
    }
    weightsTotal += errors.length;
    pairs.push(pair);
    weightErrors.push(errors);
    layerErrors.push(Math.sqrt(eta2));
  }
  let certified = 1;
  for (const eta of layerErrors) certified *= 1 + eta;
  return {
    success,
    prunedNet: new PrunedNet(pairs),
    weightErrors,
    layerErrors,
    certifiedError: certified - 1,
    criticalWidth: critical,
    sampledUnits,
    weightsOk,
    weightsTotal,
  };
}

interface LayerResult {
  success: boolean;
  critical: number | null;
  sampledUnits: number;
}

function privateLayer(
  w: Float64Array, rows: number, cols: number, i: number, tau: number, oneSide: boolean,
  streams: Streams, options: ConstructionOptions, pair: PrunedPair, errors: Float64Array,
): LayerResult {
  let success = true, critical: number | null = 0, sampledUnits = 0;
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b < cols; b++) {
      const target = w[a * cols + b];
      const rng = streams.get('block', i, a, b);
      if (options.sampler === 'skip') skipPair(rng, target, tau, draw);
      else scanPair(rng, target, tau, options.k, draw);
      sampledUnits += draw.sampledUnits;
      const found = draw.plusIndex > 0 && (oneSide || draw.minusIndex > 0);
      const blockCritical = oneSide ? draw.plusIndex : draw.criticalWidth;
      if (!found) { critical = null; success = false; errors[a * cols + b] = NaN; continue; }
      if (critical !== null) critical = Math.max(critical, blockCritical);
      if (blockCritical > options.k) { success = false; errors[a * cols + b] = NaN; continue; }
      const block = a * cols + b;
      const plus = pair.addUnit(b, draw.vPlus, block, draw.plusIndex);
      pair.addEdge(plus, a, draw.uPlus);
      let e = Math.abs(draw.uPlus * draw.vPlus - target);
      if (!oneSide) {
        const minus = pair.addUnit(b, draw.vMinus, block, draw.minusIndex);
        pair.addEdge(minus, a, draw.uMinus);
        e = Math.max(e, Math.abs(draw.uMinus * draw.vMinus - target));
      }
      errors[a * cols + b] = e;
    }
  }
  return { success, critical, sampledUnits };
}

/**
 * Shared blocks (THEORY.md §3, Pensia's layout): one block per input coordinate b;
 * unit t has in-weight v_bt and out-weights u_{a,bt} to every output a. Scanned lazily
 * unit by unit (v, then all n_i out-weights, as a dense block would be drawn) until
 * every output found its units or k units were drawn. Outputs reuse a unit's in-weight.
 */
function sharedLayer(
  w: Float64Array, rows: number, cols: number, i: number, tau: number, oneSide: boolean,
  streams: Streams, k: number, pair: PrunedPair, errors: Float64Array,
): LayerResult {
  let success = true, critical: number | null = 0, sampledUnits = 0;
  const plusAt = new Float64Array(rows), minusAt = new Float64Array(rows);
  const plusU = new Float64Array(rows), minusU = new Float64Array(rows);
  const us = new Float64Array(rows);
  const unitOf = new Map<number, number>();
  for (let b = 0; b < cols; b++) {
    const rng = streams.get('block', i, b);
    plusAt.fill(0); minusAt.fill(0);
    let missing = oneSide ? rows : 2 * rows;
    const vAt = new Map<number, number>();
    let t = 0;
    while (missing > 0 && t < k) {
      t++;
      const v = rng.weight();
      for (let a = 0; a < rows; a++) us[a] = rng.weight();
      if (v === 0 || (oneSide && v < 0)) continue;
      for (let a = 0; a < rows; a++) {
        if ((v > 0 ? plusAt[a] : minusAt[a]) !== 0) continue;
        if (Math.abs(us[a] * v - w[a * cols + b]) > tau) continue;
        if (v > 0) { plusAt[a] = t; plusU[a] = us[a]; } else { minusAt[a] = t; minusU[a] = us[a]; }
        vAt.set(t, v);
        missing--;
      }
    }
    sampledUnits += t;
    if (missing > 0) { success = false; critical = null; }
    unitOf.clear();
    for (let a = 0; a < rows; a++) {
      const target = w[a * cols + b];
      if (plusAt[a] === 0 || (!oneSide && minusAt[a] === 0)) { errors[a * cols + b] = NaN; continue; }
      const blockCritical = oneSide ? plusAt[a] : Math.max(plusAt[a], minusAt[a]);
      if (critical !== null) critical = Math.max(critical, blockCritical);
      const keep = (index: number, u: number) => {
        let unit = unitOf.get(index);
        if (unit === undefined) { unit = pair.addUnit(b, vAt.get(index)!, b, index); unitOf.set(index, unit); }
        pair.addEdge(unit, a, u);
        return Math.abs(u * vAt.get(index)! - target);
      };
      let e = keep(plusAt[a], plusU[a]);
      if (!oneSide) e = Math.max(e, keep(minusAt[a], minusU[a]));
      errors[a * cols + b] = e;
    }
  }
  return { success, critical, sampledUnits };
}

/**
 * The `subset-sum` method (THEORY.md §7) for one layer, private or shared blocks: every
 * block is scanned (every unit matters, no skipping) exactly as the pair rule's scan
 * draws it, and each target weight keeps, on each sign side, the subset of products
 * closest to it. Success per weight: both side errors ≤ τ. Outputs of a shared block reuse
 * the in-weight of a unit several of them keep.
 */
function subsetSumLayer(
  w: Float64Array, rows: number, cols: number, i: number, tau: number,
  streams: Streams, options: ConstructionOptions, pair: PrunedPair, errors: Float64Array,
): LayerResult {
  const k = options.k;
  let success = true, critical: number | null = 0, sampledUnits = 0;
  const products = new Float64Array(k);
  const sharedU = options.layout === 'shared' ? new Float64Array(k * rows) : null;
  const unitOf = new Map<number, number>();
  const keep = (a: number, b: number, block: number, t: number, u: number, v: number, shared: boolean) => {
    let unit = shared ? unitOf.get(t) : undefined;
    if (unit === undefined) {
      unit = pair.addUnit(b, v, block, t + 1);
      if (shared) unitOf.set(t, unit);
    }
    pair.addEdge(unit, a, u);
  };
  for (let b = 0; b < cols; b++) {
    if (sharedU) {
      // shared block b: unit t is (v, u_0 … u_{rows−1}), the layout of the pair rule's shared scan
      const rng = streams.get('block', i, b);
      for (let t = 0; t < k; t++) {
        subsetBlock.v[t] = rng.weight();
        for (let a = 0; a < rows; a++) sharedU[t * rows + a] = rng.weight();
      }
      sampledUnits += k;
      unitOf.clear();
    }
    for (let a = 0; a < rows; a++) {
      const target = w[a * cols + b];
      if (sharedU) {
        for (let t = 0; t < k; t++) {
          subsetBlock.u[t] = sharedU[t * rows + a];
          products[t] = subsetBlock.u[t] * subsetBlock.v[t];
        }
      } else {
        subsetBlock.scan(streams.get('block', i, a, b), k);
        sampledUnits += k;
      }
      const blockCritical = subsetBlock.criticalWidth(k, target, tau, sharedU ? products : undefined);
      if (blockCritical === 0) { success = false; critical = null; errors[a * cols + b] = NaN; continue; }
      if (critical !== null) critical = Math.max(critical, blockCritical);
      const block = sharedU ? b : a * cols + b;
      for (const t of subsetBlock.keptPlus) keep(a, b, block, t, subsetBlock.u[t], subsetBlock.v[t], sharedU !== null);
      for (const t of subsetBlock.keptMinus) keep(a, b, block, t, subsetBlock.u[t], subsetBlock.v[t], sharedU !== null);
      errors[a * cols + b] = Math.max(subsetBlock.errorPlus, subsetBlock.errorMinus);
    }
  }
  return { success, critical, sampledUnits };
}
