import { z } from 'zod';
import type { ParamSpec } from './types.js';

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
