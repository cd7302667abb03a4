/**
 * Issue 15 item 14: merging shards [0, 1, 2, 1] (all present, one twice) is refused, one line
 * naming the duplicated shard, exit 2, and no merged directory. CLI behaviour only.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { lth, expectExit, tempDir, writeTrial } from '../helpers/cli.js';

describe('lth merge with a shard given twice', () => {
  it('[0, 1, 2, 1] is refused naming shard 1/3', () => {
    const dir = tempDir();
    const trial = writeTrial(dir, { name: 'm', experiment: 'weight-lemma', seeds: 30, delta: 0.1, params: { w: 0.5, k: 50 } });
    const shards = [0, 1, 2].map((i) => {
      const out = join(dir, `shard${i}`);
      expectExit(lth(['run', trial, '--out', out, '--quiet', '--shard', `${i}/3`]), 0);
      return out;
    });
    const merged = join(dir, 'merged');
    const result = lth(['merge', shards[0], shards[1], shards[2], shards[1], '--out', merged]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/shard 1\/3 given twice/);
    expect(existsSync(join(merged, 'run.json'))).toBe(false);
  });
});
