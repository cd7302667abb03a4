import type { Rng } from '../rng/rng.js';
import { geometric } from '../rng/geometric.js';
import { hitProbability, invertHitProbability } from './products.js';

/** Receives the changes of a block's best-units error e_ab(k) as k grows (global criterion, THEORY.md §5b). */
export interface ErrorSteps {
  /** From width `t` on, the block's error is `e` (t increasing per block). */
  step(t: number, e: number): void;
}

/**
 * Lazy record sampling for one private block (THEORY.md §5b): the units of the block are
 * i.i.d., and only the *records* are realized — the units that improve the best error
 * |uv − w| of their side (v > 0 or v < 0). Exact in distribution to scanning the block.
 *
 * The chain runs in probability space. With F(e) = P(v > 0, |uv − w| < e) = p(w, e)/2
 * (the same for both sides, by (u, v) → (−u, −v)), a side's state is s = F(best error),
 * starting at F(∞) = ½. Given (s⁺, s⁻), the next record comes after Geometric(s⁺ + s⁻)
 * units (exactly 1 while s⁺ + s⁻ = 1: the first unit is always a record), is on side +
 * with probability s⁺/(s⁺ + s⁻), and its level is uniform on (0, s] of its side (the
 * error of a unit given that it beats e has CDF F(·)/F(e)). Errors e = F⁻¹(s) are computed
 * only where needed: at the kept units and where the block's error e_ab changes. Each
 * record draws four numbers (gap, side and level, and the two that fix its unit, see
 * `unitOf`), so a record's unit does not depend on which criterion keeps it.
 *
 * Both criteria read one chain: the per-weight rule (§4, §5) keeps the first record of
 * each side with s ≤ F(τ) (the first unit within τ is always a record); the global
 * criterion keeps the last record of each side with index ≤ k, or no unit on a side when
 * |w| is closer (level F(|w|)). Records: about 2·H_k − 2 ln 2 among k units (O(log k)).
 */
export class RecordChain {
  /** Per-weight rule: 1-based index of the first record within τ on each side (0: none drawn). */
  plusIndex = 0;
  minusIndex = 0;
  private plusS = 0;
  private minusS = 0;
  private readonly plusDraws = new Float64Array(2);
  private readonly minusDraws = new Float64Array(2);
  /** Global criterion at width k: the level and unit draws of each side's best record among the first k (level ½: none). */
  bestPlusS = 0.5;
  bestMinusS = 0.5;
  bestPlusIndex = 0;
  bestMinusIndex = 0;
  private readonly bestPlusDraws = new Float64Array(2);
  private readonly bestMinusDraws = new Float64Array(2);
  /** Global criterion at width k: the level of e_ab (the worse capped side) and e_ab itself. */
  globalLevel = 0.5;
  globalError = 0;
  /** F(|w|): a side whose best level is not below it keeps no unit (error |w|). */
  noneS = 0;
  /** Records drawn, those among the first k (global), and the units the chain stood for (the last index it decided). */
  records = 0;
  recordsWithinK = 0;
  sampledUnits = 0;
  private w = 0;

  /**
   * Runs the chain of block stream `rng` for target w. Stops once the per-weight units are
   * found (only v > 0 with `oneSide`) and, when `globalK` > 0, once the next record lies
   * beyond unit `globalK`. Changes of the global error e_ab(k) for k ≤ globalK go to `steps`.
   */
  run(rng: Rng, w: number, tau: number, oneSide: boolean, globalK: number, steps: ErrorSteps | null): this {
    this.w = w;
    const qTau = hitProbability(w, tau) / 2;
    const noneS = (this.noneS = hitProbability(w, Math.abs(w)) / 2);
    let sPlus = 0.5, sMinus = 0.5, t = 0, records = 0;
    this.recordsWithinK = 0;
    this.plusIndex = 0;
    this.minusIndex = 0;
    this.bestPlusS = 0.5;
    this.bestMinusS = 0.5;
    this.bestPlusIndex = 0;
    this.bestMinusIndex = 0;
    // the level of e_ab: the worse (larger) capped side; one-side blocks count v > 0 only
    let levelAb = noneS;
    this.globalError = Math.abs(w);
    for (;;) {
      const perWeightDone = this.plusIndex > 0 && (oneSide || this.minusIndex > 0);
      if (perWeightDone && t >= globalK) break;
      const rate = sPlus + sMinus;
      const next = t + (rate >= 1 ? 1 : geometric(rng, rate));
      if (perWeightDone && next > globalK) { t = globalK; break; }
      // one uniform picks the side and the level: X ~ U(0, s⁺ + s⁻] is on side + with probability
      // s⁺/(s⁺ + s⁻), and given its side it is uniform on (0, s⁺] (level X) or (s⁺, s⁺ + s⁻] (level X − s⁺)
      const x = rng.nextOpen() * rate;
      const plus = x <= sPlus;
      const level = plus ? x : x - sPlus;
      const zDraw = rng.next(), vDraw = rng.nextOpen();
      t = next;
      records++;
      if (plus) {
        sPlus = level;
        if (this.plusIndex === 0 && level <= qTau) { this.plusIndex = t; this.plusS = level; this.plusDraws[0] = zDraw; this.plusDraws[1] = vDraw; }
      } else {
        sMinus = level;
        if (this.minusIndex === 0 && level <= qTau) { this.minusIndex = t; this.minusS = level; this.minusDraws[0] = zDraw; this.minusDraws[1] = vDraw; }
      }
      if (t > globalK) continue; // only the per-weight units are still missing
      this.recordsWithinK++;
      if (plus) { this.bestPlusS = level; this.bestPlusIndex = t; this.bestPlusDraws[0] = zDraw; this.bestPlusDraws[1] = vDraw; }
      else { this.bestMinusS = level; this.bestMinusIndex = t; this.bestMinusDraws[0] = zDraw; this.bestMinusDraws[1] = vDraw; }
      const cap = Math.min(sPlus, noneS);
      const newLevel = oneSide ? cap : Math.max(cap, Math.min(sMinus, noneS));
      if (newLevel < levelAb) {
        levelAb = newLevel;
        this.globalError = Math.min(this.globalError, this.errorAtLevel(levelAb)); // monotone even at F⁻¹'s last digits
        steps?.step(t, this.globalError);
      }
    }
    this.globalLevel = levelAb;
    this.records = records;
    this.sampledUnits = t;
    return this;
  }

  /** The error of a side at level s: |w| for "no unit" (s ≥ F(|w|)), else F⁻¹(s). */
  errorAtLevel(s: number): number {
    return s >= this.noneS ? Math.abs(this.w) : invertHitProbability(this.w, 2 * s);
  }

  /** Per-weight rule: the error of the first record within τ on a side (F⁻¹ of its level). */
  perWeightError(side: 1 | -1): number {
    return invertHitProbability(this.w, 2 * (side > 0 ? this.plusS : this.minusS));
  }

  /** Per-weight rule: the kept unit of a side, with error e (from perWeightError). */
  perWeightUnit(side: 1 | -1, e: number, out: Float64Array): Float64Array {
    const draws = side > 0 ? this.plusDraws : this.minusDraws;
    return unitOf(this.w, e, side, draws[0], draws[1], out);
  }

  /** Global criterion: the best record's unit on a side, with error e (from errorAtLevel of its level). */
  bestUnit(side: 1 | -1, e: number, out: Float64Array): Float64Array {
    const draws = side > 0 ? this.bestPlusDraws : this.bestMinusDraws;
    return unitOf(this.w, e, side, draws[0], draws[1], out);
  }
}

/**
 * The unit (u, v) of a record with error e on side `side`, from its two draws: its product
 * z is w + e or w − e with probability proportional to Z's density −½·ln|z| there (zero
 * outside [−1, 1]); then |v| = |z|^U′ (ln|v| uniform on [ln|z|, 0], THEORY.md §4), v has the
 * side's sign, u = z/v. Writes [u, v] to `out`.
 */
export function unitOf(w: number, e: number, side: 1 | -1, zDraw: number, vDraw: number, out: Float64Array): Float64Array {
  const up = w + e, down = w - e;
  const dUp = Math.abs(up) <= 1 ? -Math.log(Math.abs(up)) : 0;
  const dDown = Math.abs(down) <= 1 ? -Math.log(Math.abs(down)) : 0;
  // an end exactly at 0 has infinite density (and v = 0 there would leave u undefined): measure zero
  let z = dUp === Infinity ? up : dDown === Infinity ? down : zDraw * (dUp + dDown) < dUp ? up : down;
  if (z === 0) z = up === 0 ? down : up;
  const v = side * Math.pow(Math.abs(z), vDraw);
  out[0] = z / v;
  out[1] = v;
  return out;
}
