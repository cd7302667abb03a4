import type { Experiment } from './types.js';
import { weightLemma } from './weight-lemma.js';

/** The registry: every experiment the harness can run, by name. */
export const experiments: Record<string, Experiment<any>> = {
  [weightLemma.name]: weightLemma,
};

export function experimentNames(): string[] {
  return Object.keys(experiments);
}
