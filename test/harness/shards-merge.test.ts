import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read } from '../helpers/cli.js';

/** --shard i/N runs a deterministic slice; lth merge writes files byte-identical to a one-machine run. */
describe('shards and merge', () => {
  const dir = tempDir();
  const lemma = writeTrial(dir, { name: 'lemma', experiment: 'weight-lemma', seeds: 1000, delta: 0.1, params: { w: [0.4, 'uniform'], k: [20, 200] } }, 'a.json');
  const prune = writeTrial(dir, { name: 'prune', experiment: 'weight-prune', seeds: 100, delta: 0.1, params: { d: 2, n: 3, epsilon: 0.4, k: [200, 'theory'], layout: ['private', 'shared'] } }, 'b.json');
  const whole = join(dir, 'whole');
  const shards = [0, 1, 2].map((i) => join(dir, `shard${i}`));

  it('three shards merged equal one machine, byte for byte', () => {
    expect(lth(['run', lemma, prune, '--out', whole, '--quiet']).code).toBe(0);
    shards.forEach((out, i) => {
      const result = lth(['run', lemma, prune, '--out', out, '--quiet', '--shard', `${i}/3`, '--threads', String(1 + (i % 2))]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const rows = read(join(out, 'lemma', 'trials.csv')).trimEnd().split('\n').slice(1);
      expect(rows.every((r) => Number(r.split(',')[1]) % 3 === i)).toBe(true); // seed ≡ i (mod 3)
      expect(JSON.parse(read(join(out, 'run.json'))).shard).toEqual({ index: i, count: 3 });
    });
    const merged = join(dir, 'merged');
    const result = lth(['merge', shards[2], shards[0], shards[1], '--out', merged]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const trial of ['lemma', 'prune']) {
      expect(read(join(merged, trial, 'trials.csv'))).toBe(read(join(whole, trial, 'trials.csv')));
      expect(read(join(merged, trial, 'summary.csv'))).toBe(read(join(whole, trial, 'summary.csv')));
    }
    const run = JSON.parse(read(join(merged, 'run.json')));
    expect(run.shard).toBeNull();
    expect(run.config_hash).toBe(JSON.parse(read(join(whole, 'run.json'))).config_hash);
    expect(read(join(merged, 'report.md'))).toContain('## lemma');
  });

  it('with --rows none, merged aggregates equal one machine (exact sums, histograms, quantiles in the report)', () => {
    const wholeNone = join(dir, 'whole-none');
    expect(lth(['run', lemma, prune, '--out', wholeNone, '--quiet', '--rows', 'none']).code).toBe(0);
    const parts = [0, 1].map((i) => join(dir, `none${i}`));
    parts.forEach((out, i) => expect(lth(['run', lemma, prune, '--out', out, '--quiet', '--rows', 'none', '--shard', `${i}/2`]).code).toBe(0));
    const merged = join(dir, 'merged-none');
    expect(lth(['merge', parts[1], parts[0], '--out', merged]).code).toBe(0);
    for (const trial of ['lemma', 'prune']) {
      expect(read(join(merged, trial, 'summary.csv'))).toBe(read(join(wholeNone, trial, 'summary.csv')));
      expect(read(join(merged, trial, 'summary.csv'))).toBe(read(join(whole, trial, 'summary.csv')));
    }
    const body = (d: string) => read(join(d, 'report.md')).slice(read(join(d, 'report.md')).indexOf('How to read this'));
    expect(body(merged)).toBe(body(wholeNone));
    // a merged directory cannot be extended: its rows and journals live in the shards
    const extend = lth(['run', lemma, prune, '--out', merged, '--quiet', '--rows', 'none', '--seeds', '2000']);
    expect(extend.code).toBe(2);
    expect(extend.stderr).toMatch(/result of lth merge and cannot be extended/);
  });

  it('names missing and duplicated shards', () => {
    const missing = lth(['merge', shards[0], shards[1], '--out', join(dir, 'm2')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('lth: lth merge: missing shard 2/3');
    const twice = lth(['merge', shards[0], shards[1], shards[1], '--out', join(dir, 'm3')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/shard 1\/3 given twice .*; missing shard 2\/3/);
  });

  it('refuses shards of different configurations', () => {
    const other = join(dir, 'other');
    expect(lth(['run', lemma, '--out', other, '--quiet', '--shard', '2/3']).code).toBe(0);
    const result = lth(['merge', shards[0], shards[1], other, '--out', join(dir, 'm4')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/holds a different configuration/);
  });
});
