import type { Rng } from '../rng/rng.js';
import { geometric } from '../rng/geometric.js';
import { hitProbability, sampleProductIn } from './products.js';

/**
 * The pair rule of the single-weight lemma (THEORY.md §4): among i.i.d. units
 * (u_t, v_t) ~ U[−1, 1]², keep the first unit with v > 0 and |uv − w| ≤ ε and the
 * first with v < 0 and |uv − w| ≤ ε. The kept pair computes w·x within ε on |x| ≤ 1.
 *
 * A `PairDraw` is filled in place (no allocation per seed). `plusIndex` and
 * `minusIndex` are the 1-based positions of the two kept units in the block's
 * stream; the critical width is their max (Infinity / 0 when not found).
 */
export class PairDraw {
  plusIndex = 0;
  minusIndex = 0;
  uPlus = 0;
  vPlus = 0;
  uMinus = 0;
  vMinus = 0;
  /** How many units of the stream were realized (scan) or stood for (skip: K). */
  sampledUnits = 0;

  /** K = max(T⁺, T⁻): the block succeeds exactly for widths k ≥ K. */
  get criticalWidth(): number {
    return Math.max(this.plusIndex, this.minusIndex);
  }

  /** e = max(|u⁺v⁺ − w|, |u⁻v⁻ − w|), the sup error of the kept pair on |x| ≤ 1. */
  error(w: number): number {
    return Math.max(Math.abs(this.uPlus * this.vPlus - w), Math.abs(this.uMinus * this.vMinus - w));
  }
}

/**
 * Geometric skipping (THEORY.md §4): exact in distribution to scanning an infinite
 * stream, cost independent of k and of the hit probability. Lazy: the units between
 * hits are never materialized.
 *   1. T₁ ~ Geometric(2q) = Geometric(p), its sign ± with probability ½;
 *   2. T₂ = T₁ + Geometric(q) for the other sign; K = T₂;
 *   3. each hit's product z has density ∝ −ln|z| on [w − ε, w + ε] ∩ [−1, 1];
 *      |v| = |z|^U′ (ln|v| uniform on [ln|z|, 0]), v = s·|v|, u = z/v.
 */
export function skipPair(rng: Rng, w: number, eps: number, out: PairDraw): PairDraw {
  const p = hitProbability(w, eps);
  const first = geometric(rng, p);
  const second = first + geometric(rng, p / 2);
  const firstIsPlus = rng.next() < 0.5;
  out.plusIndex = firstIsPlus ? first : second;
  out.minusIndex = firstIsPlus ? second : first;
  out.sampledUnits = second;
  const lo = Math.max(w - eps, -1), hi = Math.min(w + eps, 1);
  drawHitUnit(rng, lo, hi, +1, out);
  drawHitUnit(rng, lo, hi, -1, out);
  return out;
}

function drawHitUnit(rng: Rng, lo: number, hi: number, sign: 1 | -1, out: PairDraw): void {
  const z = sampleProductIn(lo, hi, rng.next(), rng.next());
  const absV = Math.pow(Math.abs(z), rng.nextOpen());
  const v = sign * absV;
  const u = z / v;
  if (sign > 0) { out.uPlus = u; out.vPlus = v; } else { out.uMinus = u; out.vMinus = v; }
}

/**
 * Scanning: draws units (u then v, each U[−1, 1)) one after another from the block's
 * stream, exactly as a dense width-k network would, until both hits are found or
 * `maxUnits` units were drawn. Identical to drawing the whole block; cost grows with
 * the scan length. A missing hit leaves its index at 0 (criticalWidth then unknown).
 */
export function scanPair(rng: Rng, w: number, eps: number, maxUnits: number, out: PairDraw): PairDraw {
  out.plusIndex = 0;
  out.minusIndex = 0;
  let t = 0;
  while (t < maxUnits && (out.plusIndex === 0 || out.minusIndex === 0)) {
    t++;
    const u = rng.weight();
    const v = rng.weight();
    if (Math.abs(u * v - w) > eps) continue;
    if (v > 0 && out.plusIndex === 0) { out.plusIndex = t; out.uPlus = u; out.vPlus = v; }
    else if (v < 0 && out.minusIndex === 0) { out.minusIndex = t; out.uMinus = u; out.vMinus = v; }
  }
  out.sampledUnits = t;
  return out;
}

/**
 * P(both hits among k units) = 1 − 2(1−q)^k + (1−2q)^k, in THEORY.md §4's cancellation-free
 * form (1 − A)² + A²·expm1(k·ln((1−2q)/(1−q)²)), A = (1−q)^k. Both small pieces are computed
 * without subtraction: 1 − A = −expm1(k·log1p(−q)), and ln((1−2q)/(1−q)²) = log1p(−(q/(1−q))²)
 * (log1p(−2q) − 2·log1p(−q) would lose ~1e-16/q relative: 2e-4 at q = 1e-12, k = 2).
 */
export function pairSuccessProbability(q: number, k: number): number {
  if (q <= 0 || k <= 0) return 0;
  const logA = k * Math.log1p(-q);
  const A = Math.exp(logA);
  const oneMinusA = -Math.expm1(logA);
  const r = q / (1 - q);
  const rest = A * A * Math.expm1(k * Math.log1p(-r * r));
  const value = oneMinusA * oneMinusA + rest;
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

/** One-side success (inputs ≥ 0, one v > 0 unit needed): 1 − (1 − q)^k. */
export function oneSideSuccessProbability(q: number, k: number): number {
  return -Math.expm1(k * Math.log1p(-q));
}

/** The lemma's union-bound width ⌈ln(2/δ)/q⌉ (THEORY.md §4). */
export function pairTheoryWidth(q: number, delta: number): number {
  return Math.ceil(Math.log(2 / delta) / q);
}
