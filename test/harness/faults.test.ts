import { journalSeeds as journaledSeeds } from '../support/journal.js';
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read } from '../helpers/cli.js';
import { cellSeed, Streams } from '../../src/rng/streams.js';

/**
 * Worker faults, injected through the test-only experiment `test-fault` with real pool
 * workers: an exception aborts with exit 1 and the replay command; a worker that dies
 * is replaced and its batch retried once (seed by seed); a second death aborts.
 */
const env = { LTH_TEST_EXPERIMENTS: '1', LTH_WORKER_HEAP_MB: '64' };
const BAD_SEED = 137;
const [hi, lo] = cellSeed('1', 'test-fault', '{}');
const badHex = Streams.forSeed(hi, lo, BAD_SEED).hex;

function faultTrial(dir: string, mode: string) {
  return writeTrial(dir, { name: 'f', experiment: 'test-fault', seeds: 400, delta: 0.1, params: { mode, at_hex: badHex, marker: join(dir, `marker-${mode}`) } }, `${mode}.json`);
}

function journalSeeds(out: string): number[] {
  return journaledSeeds(join(out, 'f', 'journal.bin'));
}

describe('worker faults', () => {
  const dir = tempDir();

  it('an exception aborts with exit 1, one line naming trial, cell, seed and the replay command; finished rows kept', () => {
    const out = join(dir, 'throw');
    const result = lth(['run', faultTrial(dir, 'throw'), '--out', out, '--quiet', '--batch-size', '50'], undefined, env);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `lth: trial f, cell 0, seed ${BAD_SEED}: injected failure; reproduce with: lth replay ${out} --trial f --cell 0 --seed ${BAD_SEED}`,
    ]);
    const seeds = journalSeeds(out);
    expect(seeds.length).toBeGreaterThanOrEqual(100);
    expect(seeds).not.toContain(BAD_SEED);
    expect(JSON.parse(read(join(out, 'run.json'))).status).toBe('partial');
  });

  it('the stack trace appears only with LTH_DEBUG=1', () => {
    const result = lth(['run', faultTrial(dir, 'throw'), '--out', join(dir, 'throw-debug'), '--quiet'], undefined, { ...env, LTH_DEBUG: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Error: injected failure\n\s+at /);
  });

  it('a worker that exits once is replaced and its batch retried: the run completes as if nothing happened', () => {
    const out = join(dir, 'exit-once');
    const result = lth(['run', faultTrial(dir, 'exit-once'), '--out', out, '--quiet', '--batch-size', '50'], undefined, env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const clean = join(dir, 'clean');
    expect(lth(['run', faultTrial(dir, 'none'), '--out', clean, '--quiet'], undefined, env).code).toBe(0);
    const strip = (text: string) => text.split('\n').map((l) => l.split(',').filter((_, j) => j < 3 || j > 7).join(',')).join('\n');
    // the rows (seed, hex, success, value) equal a run without the fault; only the mode/marker params differ
    expect(strip(read(join(out, 'f', 'trials.csv')))).toBe(strip(read(join(clean, 'f', 'trials.csv'))));
  });

  for (const mode of ['exit', 'oom']) {
    it(`a worker that dies twice (${mode}) aborts, naming the seed that kills it`, () => {
      const out = join(dir, mode);
      const result = lth(['run', faultTrial(dir, mode), '--out', out, '--quiet', '--batch-size', '50'], undefined, env);
      expect(result.code).toBe(1);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^lth: trial f, cell 0, seed ${BAD_SEED}: the worker died twice on this seed \\(.*(code: 3|memory).*\\); reproduce with: lth replay`));
      expect(journalSeeds(out)).not.toContain(BAD_SEED);
    });
  }

  it('test-only experiments are not offered to users', () => {
    expect(lth(['list']).stdout).not.toContain('test-fault');
  });
});
