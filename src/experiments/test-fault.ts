import { z } from 'zod';
import { existsSync, writeFileSync } from 'node:fs';
import type { Experiment, Cell } from './types.js';
import { deltaParam } from './common-params.js';

/**
 * `test-fault`: a test-only experiment (registered when LTH_TEST_EXPERIMENTS=1) that
 * misbehaves on purpose at one seed (named by its seed_hex), so the harness's fault handling is tested with
 * real workers: an exception, a worker that calls process.exit (always, or once via a
 * marker file), or a worker that runs out of memory. `spin` makes seeds slow.
 */
export interface TestFaultParams extends Record<string, string | number> {
  mode: 'none' | 'throw' | 'exit' | 'exit-once' | 'oom';
  at_hex: string;
  marker: string;
  spin: number;
  delta: number;
}

export const testFault: Experiment<TestFaultParams> = {
  name: 'test-fault',
  version: 1,
  summary: 'test-only: fails on purpose at one seed (exception, process.exit, out of memory)',
  params: {
    mode: { schema: z.enum(['none', 'throw', 'exit', 'exit-once', 'oom']), default: 'none', structural: false, doc: 'what goes wrong at the seed at_hex', allowed: '"none", "throw", "exit", "exit-once" or "oom"' },
    at_hex: { schema: z.string(), default: '', structural: false, doc: 'the derived seed (seed_hex) that misbehaves', allowed: '16 hex digits' },
    marker: { schema: z.string(), default: '', structural: false, doc: 'exit-once: a file created on the first failure', allowed: 'a path' },
    spin: { schema: z.number().int().min(0), default: 0, structural: false, doc: 'busy-work per seed (iterations)', allowed: 'an integer ≥ 0', integer: true },
    delta: deltaParam,
  },
  columns: [
    { name: 'success', doc: '1 for even-valued draws' },
    { name: 'value', doc: 'a uniform draw from the seed\'s stream' },
  ],
  resolve: (given) => given as TestFaultParams,
  run(params, streams): Cell[] {
    const rng = streams.get('value');
    let acc = 0;
    for (let j = 0; j < params.spin; j++) acc += rng.next();
    const value = rng.next();
    if (params.at_hex === streams.hex) {
      if (params.mode === 'throw') throw new Error('injected failure');
      if (params.mode === 'exit') process.exit(3);
      if (params.mode === 'exit-once' && !existsSync(params.marker)) {
        writeFileSync(params.marker, 'x');
        process.exit(3);
      }
      if (params.mode === 'oom') {
        const hog: { i: number }[][] = []; // JS objects: typed arrays live outside the V8 heap limit
        for (;;) hog.push(Array.from({ length: 1e5 }, (_, i) => ({ i: i + acc })));
      }
    }
    return [value < 0.5 ? 1 : 0, value];
  },
  summaryColumns: [],
  summarize: () => [],
  theoryWidth: () => null,
  widthParam: 'spin',
};
