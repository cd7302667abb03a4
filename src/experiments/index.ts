import type { Experiment } from './types.js';
import { weightLemma } from './weight-lemma.js';
import { weightPrune } from './weight-prune.js';

/** The registry: every experiment the harness can run, by name. */
export const experiments: Record<string, Experiment<any>> = {
  [weightLemma.name]: weightLemma,
  [weightPrune.name]: weightPrune,
};

export function experimentNames(): string[] {
  return Object.keys(experiments);
}
