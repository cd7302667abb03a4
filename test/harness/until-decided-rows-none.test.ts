import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read } from '../helpers/cli.js';
import { lthChild, exited } from '../helpers/process.js';

/**
 * Early stopping keeps its per-checkpoint counts in the checkpoint (state.json) when rows
 * are not kept: killed around 30 ms checkpoints and resumed, the decided prefixes and the
 * summary are those of an uninterrupted run.
 */
describe('--until-decided with --rows none', () => {
  it('is byte-identical after kills around checkpoints', async () => {
    const dir = tempDir();
    const trial = writeTrial(dir, { name: 'ud', experiment: 'weight-lemma', seeds: 20000, delta: 0.05, stop: 'decided', params: { w: 0.95, epsilon: 0.01, k: [3000, 20000, 60000], sampler: 'scan' } });
    const reference = join(dir, 'reference');
    expect(lth(['run', trial, '--out', reference, '--quiet', '--rows', 'none']).code).toBe(0);
    const out = join(dir, 'killed');
    let kills = 0;
    for (const ms of [400, 800, 1200, 1600]) {
      const child = lthChild(['run', trial, '--out', out, '--quiet', '--rows', 'none', '--threads', '2'], { LTH_TEST_CHECKPOINT_MS: '30' });
      const done = exited(child);
      const finished = await Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
      if (finished) break;
      child.kill('SIGKILL');
      expect(await done).toBe('SIGKILL');
      kills++;
    }
    expect(kills).toBeGreaterThanOrEqual(1);
    const resumed = lth(['run', trial, '--out', out, '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(read(join(out, 'ud', 'summary.csv'))).toBe(read(join(reference, 'ud', 'summary.csv')));
  }, 120_000);
});
