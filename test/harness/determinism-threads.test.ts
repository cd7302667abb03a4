import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read } from '../helpers/cli.js';

/**
 * DESIGN.md "Determinism": trials.csv and summary.csv are byte-identical for any
 * thread count and any batch size, through the real piscina pool.
 */
describe('run output does not depend on threads or batch sizes', () => {
  const dir = tempDir();
  const trial = writeTrial(dir, {
    name: 'det',
    experiment: 'weight-lemma',
    seeds: 3000,
    delta: 0.1,
    params: { w: [0.3, 'uniform'], epsilon: [0.05, 0.2], k: [20, 300], sampler: ['skip', 'scan'] },
  });
  const outputs = (label: string, extra: string[]) => {
    const out = join(dir, label);
    const result = lth(['run', trial, '--out', out, '--quiet', ...extra]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return { trials: read(join(out, 'det', 'trials.csv')), summary: read(join(out, 'det', 'summary.csv')) };
  };

  it('is identical for --threads 1, --threads 2 and different batch sizes', () => {
    const one = outputs('t1', ['--threads', '1']);
    const two = outputs('t2', ['--threads', '2']);
    const smallBatches = outputs('b7', ['--threads', '2', '--batch-size', '7']);
    const bigBatches = outputs('b1000', ['--threads', '2', '--batch-size', '1000']);
    expect(one.trials.split('\n').length).toBe(16 * 3000 + 2);
    for (const other of [two, smallBatches, bigBatches]) {
      expect(other.trials).toBe(one.trials);
      expect(other.summary).toBe(one.summary);
    }
  });

  it('changes with the master seed', () => {
    const a = outputs('m1', ['--master-seed', '1']);
    const b = outputs('m2', ['--master-seed', '2']);
    expect(a.trials).not.toBe(b.trials);
  });
});
