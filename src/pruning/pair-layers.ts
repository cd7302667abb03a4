import type { Streams } from '../rng/streams.js';
import type { Rng } from '../rng/rng.js';
import type { PrunedPair } from '../nn/sparse.js';
import { PairDraw, scanPair } from './pair-rule.js';
import { RecordChain } from './record-chain.js';
import type { GlobalWidth } from './global-width.js';

/**
 * The pair rule on one target layer (THEORY.md §4–§5b), for each layout and sampler. Every
 * function fills `pair` with the kept units and `errors` with e_ab (row-major) of the
 * criterion's construction:
 *   - per-weight (`steps` null): the first unit within τ on each side; NaN where missing;
 *   - global (`steps` given): the best unit among the first k on each side, or none when |w|
 *     is closer; every change of e_ab with the width goes to `steps`.
 * The per-weight outcome (success, critical width, blocks within τ) is reported either way:
 * both criteria read the same draws.
 */
export interface LayerInput {
  w: Float64Array;
  rows: number;
  cols: number;
  /** 0-based target layer (the block streams are `block/i/a/b` or `block/i/b`). */
  i: number;
  tau: number;
  oneSide: boolean;
  k: number;
  streams: Streams;
  pair: PrunedPair;
  errors: Float64Array;
  steps: GlobalWidth | null;
}

export interface LayerResult {
  /** Every block found its per-weight units among the first k. */
  perWeightSuccess: boolean;
  /** Per-weight critical width of the layer (max over blocks); null when a scan stopped at k first. */
  critical: number | null;
  /** Blocks whose per-weight units are among the first k. */
  blocksOk: number;
  sampledUnits: number;
  /** Records drawn (record chain only). */
  records: number;
}

const chain = new RecordChain();
const draw = new PairDraw();
const unit = new Float64Array(2);

/** Private blocks, skip sampler: one record chain per block drives both criteria. */
export function privateSkipLayer(input: LayerInput): LayerResult {
  const { w, rows, cols, i, tau, oneSide, k, streams, pair, errors, steps } = input;
  const result: LayerResult = { perWeightSuccess: true, critical: 0, blocksOk: 0, sampledUnits: 0, records: 0 };
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b < cols; b++) {
      const block = a * cols + b, target = w[block];
      steps?.setBlock(block);
      chain.run(streams.get('block', i, a, b), target, tau, oneSide, steps ? k : 0, steps);
      result.sampledUnits += chain.sampledUnits;
      result.records += chain.records;
      const blockCritical = oneSide ? chain.plusIndex : Math.max(chain.plusIndex, chain.minusIndex);
      result.critical = Math.max(result.critical!, blockCritical);
      const ok = blockCritical <= k;
      if (ok) result.blocksOk++; else result.perWeightSuccess = false;
      if (steps) {
        errors[block] = chain.globalError;
        keepBest(chain, 1, chain.bestPlusS, chain.bestPlusIndex, a, b, block, pair);
        if (!oneSide) keepBest(chain, -1, chain.bestMinusS, chain.bestMinusIndex, a, b, block, pair);
        continue;
      }
      if (!ok) { errors[block] = NaN; continue; }
      const ePlus = chain.perWeightError(1);
      chain.perWeightUnit(1, ePlus, unit);
      pair.addEdge(pair.addUnit(b, unit[1], block, chain.plusIndex), a, unit[0]);
      let e = ePlus;
      if (!oneSide) {
        const eMinus = chain.perWeightError(-1);
        chain.perWeightUnit(-1, eMinus, unit);
        pair.addEdge(pair.addUnit(b, unit[1], block, chain.minusIndex), a, unit[0]);
        e = Math.max(e, eMinus);
      }
      errors[block] = e;
    }
  }
  return result;
}

/** Global criterion: keeps a side's best record unless no unit (error |w|) is at least as close. */
function keepBest(c: RecordChain, side: 1 | -1, level: number, index: number, a: number, b: number, block: number, pair: PrunedPair): void {
  if (level >= c.noneS) return;
  const e = level === c.globalLevel ? c.globalError : c.errorAtLevel(level);
  c.bestUnit(side, e, unit);
  pair.addEdge(pair.addUnit(b, unit[1], block, index), a, unit[0]);
}

/**
 * Private blocks, scan sampler: draws units (u then v) from the block's stream as a dense
 * block would. Per-weight alone stops at the first hits (scanPair); the global criterion
 * scans all k units, and reads the per-weight hits on the way (the same ones).
 */
export function privateScanLayer(input: LayerInput): LayerResult {
  const { w, rows, cols, i, tau, oneSide, k, streams, pair, errors, steps } = input;
  const result: LayerResult = { perWeightSuccess: true, critical: 0, blocksOk: 0, sampledUnits: 0, records: 0 };
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b < cols; b++) {
      const block = a * cols + b, target = w[block];
      const rng = streams.get('block', i, a, b);
      if (steps) {
        steps.setBlock(block);
        const s = scanBest(rng, target, tau, oneSide, k, steps);
        result.sampledUnits += k;
        const blockCritical = oneSide ? s.plusAt : Math.max(s.plusAt, s.minusAt);
        const found = s.plusAt > 0 && (oneSide || s.minusAt > 0);
        if (found) { result.blocksOk++; if (result.critical !== null) result.critical = Math.max(result.critical, blockCritical); }
        else { result.perWeightSuccess = false; result.critical = null; }
        errors[block] = s.error;
        const absW = Math.abs(target);
        if (s.bestPlusE < absW) pair.addEdge(pair.addUnit(b, s.bestPlusV, block, s.bestPlusT), a, s.bestPlusU);
        if (!oneSide && s.bestMinusE < absW) pair.addEdge(pair.addUnit(b, s.bestMinusV, block, s.bestMinusT), a, s.bestMinusU);
        continue;
      }
      scanPair(rng, target, tau, k, draw);
      result.sampledUnits += draw.sampledUnits;
      const found = draw.plusIndex > 0 && (oneSide || draw.minusIndex > 0);
      if (!found) { result.critical = null; result.perWeightSuccess = false; errors[block] = NaN; continue; }
      const blockCritical = oneSide ? draw.plusIndex : draw.criticalWidth;
      if (result.critical !== null) result.critical = Math.max(result.critical, blockCritical);
      result.blocksOk++;
      pair.addEdge(pair.addUnit(b, draw.vPlus, block, draw.plusIndex), a, draw.uPlus);
      let e = Math.abs(draw.uPlus * draw.vPlus - target);
      if (!oneSide) {
        pair.addEdge(pair.addUnit(b, draw.vMinus, block, draw.minusIndex), a, draw.uMinus);
        e = Math.max(e, Math.abs(draw.uMinus * draw.vMinus - target));
      }
      errors[block] = e;
    }
  }
  return result;
}

interface ScanBest {
  plusAt: number; minusAt: number; error: number;
  bestPlusE: number; bestPlusU: number; bestPlusV: number; bestPlusT: number;
  bestMinusE: number; bestMinusU: number; bestMinusV: number; bestMinusT: number;
}
const best: ScanBest = {
  plusAt: 0, minusAt: 0, error: 0,
  bestPlusE: 0, bestPlusU: 0, bestPlusV: 0, bestPlusT: 0, bestMinusE: 0, bestMinusU: 0, bestMinusV: 0, bestMinusT: 0,
};

/** All k units of a private block: the first hit within τ and the best unit on each side, and e_ab's steps. */
function scanBest(rng: Rng, w: number, tau: number, oneSide: boolean, k: number, steps: GlobalWidth): ScanBest {
  const absW = Math.abs(w);
  const s = best;
  s.plusAt = 0; s.minusAt = 0; s.bestPlusE = Infinity; s.bestMinusE = Infinity; s.bestPlusT = 0; s.bestMinusT = 0;
  let errorAb = absW;
  for (let t = 1; t <= k; t++) {
    const u = rng.weight(), v = rng.weight();
    const e = Math.abs(u * v - w);
    if (v > 0) {
      if (s.plusAt === 0 && e <= tau) s.plusAt = t;
      if (e >= s.bestPlusE) continue;
      s.bestPlusE = e; s.bestPlusU = u; s.bestPlusV = v; s.bestPlusT = t;
    } else if (v < 0) {
      if (s.minusAt === 0 && e <= tau) s.minusAt = t;
      if (e >= s.bestMinusE) continue;
      s.bestMinusE = e; s.bestMinusU = u; s.bestMinusV = v; s.bestMinusT = t;
    } else continue;
    const plus = Math.min(s.bestPlusE, absW);
    const next = oneSide ? plus : Math.max(plus, Math.min(s.bestMinusE, absW));
    if (next < errorAb) { errorAb = next; steps.step(t, errorAb); }
  }
  s.error = errorAb;
  return s;
}

/**
 * Shared blocks (THEORY.md §3, Pensia's layout): one block per input coordinate b; unit t
 * has in-weight v_bt and out-weights u_{a,bt} to every output a, drawn densely (v, then
 * all n_i out-weights). Per-weight alone scans until every output found its units or k
 * units were drawn; the global criterion scans all k. Outputs reuse a unit's in-weight.
 */
export function sharedLayer(input: LayerInput): LayerResult {
  const { w, rows, cols, i, tau, oneSide, k, streams, pair, errors, steps } = input;
  const result: LayerResult = { perWeightSuccess: true, critical: 0, blocksOk: 0, sampledUnits: 0, records: 0 };
  const plusAt = new Float64Array(rows), minusAt = new Float64Array(rows);
  const plusU = new Float64Array(rows), minusU = new Float64Array(rows);
  // global: per output and side, the best unit so far (error, index, u, v); e_ab so far
  const bestE = new Float64Array(2 * rows), bestT = new Float64Array(2 * rows);
  const bestU = new Float64Array(2 * rows), bestV = new Float64Array(2 * rows), errorAb = new Float64Array(rows);
  const us = new Float64Array(rows);
  const unitOf = new Map<number, number>();
  for (let b = 0; b < cols; b++) {
    const rng = streams.get('block', i, b);
    plusAt.fill(0); minusAt.fill(0); bestE.fill(Infinity); bestT.fill(0);
    for (let a = 0; a < rows; a++) errorAb[a] = Math.abs(w[a * cols + b]);
    let missing = oneSide ? rows : 2 * rows;
    const vAt = new Map<number, number>();
    let t = 0;
    while ((missing > 0 || steps) && t < k) {
      t++;
      const v = rng.weight();
      for (let a = 0; a < rows; a++) us[a] = rng.weight();
      if (v === 0) continue;
      for (let a = 0; a < rows; a++) {
        const target = w[a * cols + b], e = Math.abs(us[a] * v - target);
        if (steps) {
          const side = v > 0 ? 2 * a : 2 * a + 1;
          if (e < bestE[side]) {
            bestE[side] = e; bestT[side] = t; bestU[side] = us[a]; bestV[side] = v;
            const absW = Math.abs(target), plus = Math.min(bestE[2 * a], absW);
            const next = oneSide ? plus : Math.max(plus, Math.min(bestE[2 * a + 1], absW));
            if (next < errorAb[a]) { errorAb[a] = next; steps.setBlock(a * cols + b); steps.step(t, next); }
          }
        }
        if (oneSide && v < 0) continue;
        if ((v > 0 ? plusAt[a] : minusAt[a]) !== 0 || e > tau) continue;
        if (v > 0) { plusAt[a] = t; plusU[a] = us[a]; } else { minusAt[a] = t; minusU[a] = us[a]; }
        vAt.set(t, v);
        missing--;
      }
    }
    result.sampledUnits += t;
    if (missing > 0) { result.perWeightSuccess = false; result.critical = null; }
    unitOf.clear();
    const keep = (a: number, index: number, u: number, v: number) => {
      let m = unitOf.get(index);
      if (m === undefined) { m = pair.addUnit(b, v, b, index); unitOf.set(index, m); }
      pair.addEdge(m, a, u);
    };
    for (let a = 0; a < rows; a++) {
      const target = w[a * cols + b];
      const found = plusAt[a] !== 0 && (oneSide || minusAt[a] !== 0);
      if (found) {
        result.blocksOk++;
        if (result.critical !== null) result.critical = Math.max(result.critical, oneSide ? plusAt[a] : Math.max(plusAt[a], minusAt[a]));
      }
      if (steps) {
        errors[a * cols + b] = errorAb[a];
        const absW = Math.abs(target);
        if (bestE[2 * a] < absW) keep(a, bestT[2 * a], bestU[2 * a], bestV[2 * a]);
        if (!oneSide && bestE[2 * a + 1] < absW) keep(a, bestT[2 * a + 1], bestU[2 * a + 1], bestV[2 * a + 1]);
        continue;
      }
      if (!found) { errors[a * cols + b] = NaN; continue; }
      keep(a, plusAt[a], plusU[a], vAt.get(plusAt[a])!);
      let e = Math.abs(plusU[a] * vAt.get(plusAt[a])! - target);
      if (!oneSide) {
        keep(a, minusAt[a], minusU[a], vAt.get(minusAt[a])!);
        e = Math.max(e, Math.abs(minusU[a] * vAt.get(minusAt[a])! - target));
      }
      errors[a * cols + b] = e;
    }
  }
  return result;
}
