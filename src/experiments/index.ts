import type { Experiment } from './types.js';
import { weightLemma } from './weight-lemma.js';
import { weightPrune } from './weight-prune.js';
import { neuronRf } from './neuron-rf.js'; import { memorize } from './memorize.js';
import { testFault } from './test-fault.js';
import { trainedPrune } from './trained-prune.js';

/** The registry: every experiment the harness can run, by name. */
export const experiments: Record<string, Experiment<any>> = {
  [weightLemma.name]: weightLemma,
  [weightPrune.name]: weightPrune,
  [neuronRf.name]: neuronRf, [memorize.name]: memorize,
  [trainedPrune.name]: trainedPrune,
};

// test-only experiments: only when the test suite asks for them (never listed otherwise)
if (process.env.LTH_TEST_EXPERIMENTS === '1') experiments[testFault.name] = testFault;

export function experimentNames(): string[] {
  return Object.keys(experiments);
}
