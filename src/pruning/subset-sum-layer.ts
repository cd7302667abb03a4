import type { Streams } from '../rng/streams.js';
import type { LayerInput, LayerResult } from './pair-layers.js';
import { SubsetSumBlock } from './subset-sum-block.js';
import { MAX_SUBSET_VALUES } from './subset-sum.js';

const subsetBlock = new SubsetSumBlock(MAX_SUBSET_VALUES);
let products = new Float64Array(MAX_SUBSET_VALUES);
let sharedU = new Float64Array(0);

/**
 * The `subset-sum` method (THEORY.md §7) for one layer, private or shared blocks: every
 * block is scanned (every unit matters, no skipping) exactly as the pair rule's scan
 * draws it, and each target weight keeps, on each sign side (the v > 0 side only with
 * `oneSide`, layers ≥ 2), the subset of products closest to it. Per-weight success: every
 * side error ≤ τ. The global criterion (§5b) keeps the same closest subsets whatever their
 * error (the empty subset is "no unit", error |w|). Outputs of a shared block reuse the
 * in-weight of a unit several of them keep.
 */
export function subsetSumLayer(input: LayerInput, layout: 'private' | 'shared', global: boolean): LayerResult {
  const { w, rows, cols, i, tau, oneSide, k, streams, pair, errors } = input;
  const result: LayerResult = { perWeightSuccess: true, critical: 0, blocksOk: 0, sampledUnits: 0, records: 0 };
  const unitOf = new Map<number, number>();
  const keep = (a: number, b: number, block: number, t: number, u: number, v: number) => {
    let unit = layout === 'shared' ? unitOf.get(t) : undefined;
    if (unit === undefined) {
      unit = pair.addUnit(b, v, block, t + 1);
      if (layout === 'shared') unitOf.set(t, unit);
    }
    pair.addEdge(unit, a, u);
  };
  for (let b = 0; b < cols; b++) {
    if (layout === 'shared') {
      scanShared(streams, i, b, rows, k);
      result.sampledUnits += k;
      unitOf.clear();
    }
    for (let a = 0; a < rows; a++) {
      const target = w[a * cols + b];
      const shared = loadBlock(streams, layout, i, a, b, rows, k);
      if (!shared) result.sampledUnits += k;
      const blockCritical = subsetBlock.criticalWidth(k, target, tau, shared ? products : undefined, oneSide);
      if (blockCritical === 0) { result.perWeightSuccess = false; result.critical = null; }
      else { result.blocksOk++; if (result.critical !== null) result.critical = Math.max(result.critical, blockCritical); }
      if (blockCritical === 0 && !global) { errors[a * cols + b] = NaN; continue; }
      const block = shared ? b : a * cols + b;
      for (const t of subsetBlock.keptPlus) keep(a, b, block, t, subsetBlock.u[t], subsetBlock.v[t]);
      for (const t of subsetBlock.keptMinus) keep(a, b, block, t, subsetBlock.u[t], subsetBlock.v[t]);
      errors[a * cols + b] = Math.max(subsetBlock.errorPlus, subsetBlock.errorMinus);
    }
  }
  return result;
}

/**
 * The global criterion's e_ab at width k′ ≤ k for one layer (closest subset sums over the
 * first k′ units of each block), for the critical width's bisection: the same draws and
 * the same solver as `subsetSumLayer`, so at k′ = k the errors are identical.
 */
export function subsetSumErrorsAt(input: LayerInput, layout: 'private' | 'shared', kPrime: number): void {
  const { w, rows, cols, i, oneSide, streams, errors } = input;
  for (let b = 0; b < cols; b++) {
    if (layout === 'shared') scanShared(streams, i, b, rows, kPrime);
    for (let a = 0; a < rows; a++) {
      const shared = loadBlock(streams, layout, i, a, b, rows, kPrime);
      errors[a * cols + b] = subsetBlock.solve(kPrime, w[a * cols + b], shared ? products : undefined, oneSide);
    }
  }
}

/** Shared block b: unit t is (v, u_0 … u_{rows−1}), the layout of the pair rule's shared scan. */
function scanShared(streams: Streams, i: number, b: number, rows: number, k: number): void {
  if (sharedU.length < k * rows) sharedU = new Float64Array(k * rows);
  const rng = streams.get('block', i, b);
  for (let t = 0; t < k; t++) {
    subsetBlock.v[t] = rng.weight();
    for (let a = 0; a < rows; a++) sharedU[t * rows + a] = rng.weight();
  }
}

/** Puts block (a, b)'s first k units into subsetBlock (u, v), with their products for shared blocks; true when shared. */
function loadBlock(streams: Streams, layout: 'private' | 'shared', i: number, a: number, b: number, rows: number, k: number): boolean {
  if (layout === 'private') {
    subsetBlock.scan(streams.get('block', i, a, b), k);
    return false;
  }
  if (products.length < k) products = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    subsetBlock.u[t] = sharedU[t * rows + a];
    products[t] = subsetBlock.u[t] * subsetBlock.v[t];
  }
  return true;
}
