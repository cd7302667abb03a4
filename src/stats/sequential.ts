import { confidenceSequence } from './confidence-sequence.js';
import { verdict } from './verdict.js';

/**
 * Early stopping (`--until-decided`, DESIGN.md): a cell is examined only on the seed-index
 * prefixes 64·2^j (and the cap `seeds`), and stops at the first prefix whose anytime-valid
 * confidence sequence excludes 1 − δ. The decision depends only on the prefix, so it is
 * the same whatever finished first, on any thread count and after any resume.
 */
export const FIRST_CHECKPOINT = 64;

/** The checkpoints of a cell with `seeds` seeds at most: 64, 128, 256, …, and `seeds` itself. */
export function checkpoints(seeds: number): number[] {
  const out: number[] = [];
  for (let c = FIRST_CHECKPOINT; c < seeds; c *= 2) out.push(c);
  out.push(seeds);
  return out;
}

/** Whether a prefix of `trials` seeds with `successes` decides the cell against `target`. */
export function decidedAt(successes: number, trials: number, target: number, confidence: number): boolean {
  return verdict(confidenceSequence(successes, trials, confidence), target) !== 'undecided';
}

/**
 * The number of seeds a stop-decided cell keeps: the first checkpoint that decides, the
 * cap if none does, or — for a run still in progress — how far its complete prefix goes.
 * `successAt(i)` is 1/0 for a journaled seed and null for a missing one.
 */
export function decidedPrefix(seeds: number, target: number, confidence: number, successAt: (i: number) => 0 | 1 | null): number {
  let successes = 0, i = 0;
  for (const c of checkpoints(seeds)) {
    for (; i < c; i++) {
      const s = successAt(i);
      if (s === null) return i;
      successes += s;
    }
    if (c === seeds || decidedAt(successes, c, target, confidence)) return c;
  }
  return seeds;
}

/**
 * The first checkpoint 64·2^j at which an early-stopped cell can be `above` along the path
 * S = ⌊c·p⌋ (p = 1: every seed succeeds), or null beyond 2^31 seeds. Used by `lth plan` and
 * by `--dry-run`'s warnings.
 */
export function firstCheckpointAbove(delta: number, confidence: number, p = 1): number | null {
  for (const c of checkpoints(2 ** 31)) {
    if (confidenceSequence(Math.floor(c * p), c, confidence).low >= 1 - delta) return c;
  }
  return null;
}
