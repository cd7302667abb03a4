import type { Streams } from '../rng/streams.js';
import type { DenseNet } from '../nn/dense.js';
import type { PrunedPair } from '../nn/sparse.js';
import type { Construction, ConstructionOptions } from './weight-construction.js';
import { SubsetSumBlock } from './subset-sum-block.js';
import { MAX_SUBSET_VALUES } from './subset-sum.js';

const subsetBlock = new SubsetSumBlock(MAX_SUBSET_VALUES);

/**
 * Completes a failed construction so that its pruned net can still be measured (issue 14:
 * accuracies are written for failed seeds too): every target weight whose block found no
 * units within its tolerance keeps instead the best units its block offers, as THEORY.md
 * §5b's global criterion does — on each sign side the unit (pair rule) or subset (subset
 * sums) closest to w among the block's first k units, or nothing when that is closer
 * (side error |w|). The block is scanned from its own stream in the order the scan sampler
 * draws it (private: u, v per unit; shared: v, then every output's u), so with `sampler:
 * "scan"` these are the very units the construction saw; with "skip" they are a scanned
 * realization of the same block (equal in distribution, not conditioned on the skip).
 * Rewrites the weight errors, η_i and the certified error; success and weightsOk stay.
 * Scanning costs k draws per failed block: above `scanBudget` unit draws (large k with many
 * failures; THEORY.md §5b's record sampling would make it O(log k) a block) the failed
 * weights keep nothing instead (Ḡ's entry is 0, error |w|). Returns whether the best units were kept.
 */
export function keepBestUnits(target: DenseNet, streams: Streams, options: ConstructionOptions, construction: Construction, scanBudget = Infinity): boolean {
  const { widths, layers } = target;
  const scans = completionScans(target, options, construction);
  const affordable = scans <= scanBudget;
  let certified = 1;
  for (let i = 0; i < layers.length; i++) {
    const cols = widths[i], rows = widths[i + 1], errors = construction.weightErrors[i];
    const pair = construction.prunedNet.pairs[i];
    if (!affordable) {
      for (let j = 0; j < errors.length; j++) if (Number.isNaN(errors[j])) errors[j] = Math.abs(layers[i][j]); // nothing kept: Ḡ's entry is 0
    } else if (options.layout === 'private') {
      for (let a = 0; a < rows; a++) {
        for (let b = 0; b < cols; b++) {
          const j = a * cols + b;
          if (!Number.isNaN(errors[j])) continue;
          errors[j] = options.method === 'pair'
            ? bestPairPrivate(layers[i][j], streams, i, a, b, options.k, pair)
            : bestSubsetPrivate(layers[i][j], streams, i, a, b, options.k, pair);
        }
      }
    } else {
      for (let b = 0; b < cols; b++) {
        let failed = false;
        for (let a = 0; a < rows && !failed; a++) failed = Number.isNaN(errors[a * cols + b]);
        if (failed) bestShared(layers[i], rows, cols, b, streams.get('block', i, b), options, pair, errors);
      }
    }
    let eta2 = 0;
    for (let j = 0; j < errors.length; j++) eta2 += errors[j] * errors[j];
    construction.layerErrors[i] = Math.sqrt(eta2);
    certified *= 1 + construction.layerErrors[i];
  }
  construction.certifiedError = certified - 1;
  return affordable;
}

/** Units the completion would draw: k per failed private block, k·(1 + outputs) per shared block with a failed weight. */
export function completionScans(target: DenseNet, options: ConstructionOptions, construction: Construction): number {
  let scans = 0;
  target.layers.forEach((_, i) => {
    const cols = target.widths[i], rows = target.widths[i + 1], errors = construction.weightErrors[i];
    if (options.layout === 'private') {
      for (let j = 0; j < errors.length; j++) if (Number.isNaN(errors[j])) scans += options.k;
    } else {
      for (let b = 0; b < cols; b++) {
        for (let a = 0; a < rows; a++) if (Number.isNaN(errors[a * cols + b])) { scans += options.k * (1 + rows); break; }
      }
    }
  });
  return scans;
}

/** One side's best: the unit with the smallest |u·v − w|, kept only when closer than |w| (keeping nothing). */
class SideBest {
  error = 0;
  index = -1;
  u = 0;
  v = 0;
  reset(w: number): void {
    this.error = Math.abs(w);
    this.index = -1;
  }
  offer(t: number, u: number, v: number, w: number): void {
    const e = Math.abs(u * v - w);
    if (e < this.error) { this.error = e; this.index = t; this.u = u; this.v = v; }
  }
}

const plus = new SideBest(), minus = new SideBest();

function bestPairPrivate(w: number, streams: Streams, i: number, a: number, b: number, k: number, pair: PrunedPair): number {
  const rng = streams.get('block', i, a, b);
  plus.reset(w);
  minus.reset(w);
  for (let t = 0; t < k; t++) {
    const u = rng.weight(), v = rng.weight();
    if (v > 0) plus.offer(t, u, v, w); else if (v < 0) minus.offer(t, u, v, w);
  }
  for (const side of [plus, minus]) {
    if (side.index >= 0) pair.addEdge(pair.addUnit(b, side.v, a * pair.inputs + b, side.index + 1), a, side.u);
  }
  return Math.max(plus.error, minus.error);
}

function bestSubsetPrivate(w: number, streams: Streams, i: number, a: number, b: number, k: number, pair: PrunedPair): number {
  subsetBlock.scan(streams.get('block', i, a, b), k);
  const e = subsetBlock.solve(k, w);
  for (const t of [...subsetBlock.keptPlus, ...subsetBlock.keptMinus]) {
    pair.addEdge(pair.addUnit(b, subsetBlock.v[t], a * pair.inputs + b, t + 1), a, subsetBlock.u[t]);
  }
  return e;
}

/**
 * Shared block b (THEORY.md §3): draws its k units as the shared scan does, then every
 * output a whose weight failed keeps its best units; a middle unit already kept (by the
 * construction or another output) is reused, so each kept neuron appears once.
 */
function bestShared(
  w: Float64Array, rows: number, cols: number, b: number, rng: ReturnType<Streams['get']>,
  options: ConstructionOptions, pair: PrunedPair, errors: Float64Array,
): void {
  const k = options.k;
  const v = new Float64Array(k), u = new Float64Array(k * rows);
  for (let t = 0; t < k; t++) {
    v[t] = rng.weight();
    for (let a = 0; a < rows; a++) u[t * rows + a] = rng.weight();
  }
  const unitOf = new Map<number, number>();
  for (let m = 0; m < pair.unitCount; m++) if (pair.unitBlock[m] === b) unitOf.set(pair.unitIndex[m] - 1, m);
  const keep = (a: number, t: number) => {
    let unit = unitOf.get(t);
    if (unit === undefined) { unit = pair.addUnit(b, v[t], b, t + 1); unitOf.set(t, unit); }
    pair.addEdge(unit, a, u[t * rows + a]);
  };
  const products = new Float64Array(k);
  for (let a = 0; a < rows; a++) {
    const j = a * cols + b, target = w[j];
    if (!Number.isNaN(errors[j])) continue;
    if (options.method === 'pair') {
      plus.reset(target);
      minus.reset(target);
      for (let t = 0; t < k; t++) {
        if (v[t] > 0) plus.offer(t, u[t * rows + a], v[t], target); else if (v[t] < 0) minus.offer(t, u[t * rows + a], v[t], target);
      }
      for (const side of [plus, minus]) if (side.index >= 0) keep(a, side.index);
      errors[j] = Math.max(plus.error, minus.error);
    } else {
      for (let t = 0; t < k; t++) {
        subsetBlock.u[t] = u[t * rows + a];
        subsetBlock.v[t] = v[t];
        products[t] = subsetBlock.u[t] * v[t];
      }
      errors[j] = subsetBlock.solve(k, target, products);
      for (const t of [...subsetBlock.keptPlus, ...subsetBlock.keptMinus]) keep(a, t);
    }
  }
}
