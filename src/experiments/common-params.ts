import { z } from 'zod';
import type { ParamSpec } from './types.js';
import { UserError } from '../errors.js';
import { MAX_SUBSET_VALUES } from '../pruning/subset-sum.js';

/** Parameters shared by every experiment, so their meaning and limits read the same everywhere. */
export const deltaParam: ParamSpec = {
  schema: z.number().gt(0).lt(1),
  structural: false,
  doc: 'failure probability δ of the claim: the verdict compares the success rate with 1 − δ (default: the trial\'s top-level "delta")',
  allowed: 'a number in (0, 1)',
};

export function epsilonParam(defaultValue: number): ParamSpec {
  return {
    schema: z.number().gt(0).max(1),
    default: defaultValue,
    structural: false,
    doc: 'accuracy ε of the approximation',
    allowed: 'a number in (0, 1]',
  };
}

/** `method`: the pair rule (THEORY.md §4) or exact subset sums (§7), on the same block streams. */
export const methodParam: ParamSpec = {
  schema: z.enum(['pair', 'subset-sum']),
  default: 'pair',
  structural: false,
  doc: `"pair": keep the first v > 0 and v < 0 units within the tolerance; "subset-sum": on each sign side the exact closest subset sum (meet in the middle, scans the block; k ≤ ${MAX_SUBSET_VALUES})`,
  allowed: '"pair" or "subset-sum"',
};

/** The exact subset-sum search is exponential in the block size: refuse blocks it cannot finish. */
export function subsetSumGuard(what: string): UserError {
  return new UserError(
    `method "subset-sum" needs k ≤ ${MAX_SUBSET_VALUES} units per block (exact meet-in-the-middle search is exponential in k; ` +
      `k = ${MAX_SUBSET_VALUES} takes ≈ 1.3 ms a weight here) (got ${what})`,
  );
}
