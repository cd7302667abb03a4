import { journalSeedCount, journalRecords } from '../support/journal.js';
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { existsSync, appendFileSync, readFileSync } from 'node:fs';
import { lth, lthAsync, tempDir, writeTrial, read } from '../helpers/cli.js';
import { lthChild, exited, until } from '../helpers/process.js';

/**
 * Rows are journaled append-only while running; SIGKILL part-way and re-running the
 * same command resumes, and the final files equal an uninterrupted run's.
 */
const trialSpec = {
  name: 'slow',
  experiment: 'weight-lemma',
  seeds: 6000,
  delta: 0.1,
  // scanning dense blocks: ≈ 10⁴ units a seed, so the run lasts a few seconds
  params: { w: [0.95, -0.9], epsilon: 0.01, k: 60000, sampler: 'scan' },
};

function journalLines(path: string): number {
  return journalSeedCount(path);
}

async function killWhenJournalHas(args: string[], journal: string, lines: number): Promise<number> {
  const child = lthAsync(args);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (;;) {
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20))]);
    if (done) return -1; // finished before we could kill it
    if (journalLines(journal) >= lines) break;
  }
  child.kill('SIGKILL');
  await exited;
  return journalLines(journal);
}

describe('kill -9 and resume', () => {
  it('loses nothing and ends byte-identical to an uninterrupted run', async () => {
    const dir = tempDir();
    const trial = writeTrial(dir, trialSpec);
    const reference = join(dir, 'reference');
    expect(lth(['run', trial, '--out', reference, '--quiet', '--threads', '2']).code).toBe(0);

    const out = join(dir, 'killed');
    const args = ['run', trial, '--out', out, '--quiet', '--threads', '2'];
    const journal = join(out, 'slow', 'journal.bin');
    const seen: number[] = [];
    for (const threshold of [50, 1200, 2500, 4000, 5500, 7000, 8500, 10000]) {
      const at = await killWhenJournalHas(args, journal, threshold);
      if (at >= 0) seen.push(at);
    }
    expect(seen.length).toBeGreaterThanOrEqual(5); // really killed part-way, at least 5 times
    expect(existsSync(join(out, 'slow', 'trials.csv'))).toBe(false);
    // a torn last record, as a kill in the middle of a write leaves it
    const records = journalRecords(journal);
    const last = records[records.length - 1];
    appendFileSync(journal, readFileSync(journal).subarray(last.offset, last.offset + last.bytes - 5));
    const resumed = lth(args);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(read(join(out, 'slow', 'trials.csv'))).toBe(read(join(reference, 'slow', 'trials.csv')));
    expect(read(join(out, 'slow', 'summary.csv'))).toBe(read(join(reference, 'slow', 'summary.csv')));
    const run = JSON.parse(read(join(out, 'run.json')));
    expect(run.status).toBe('complete');
    // finished seeds were not recomputed: the resumed invocations together ran each seed at most once more than needed
    expect(run.seeds_run).toBeLessThan(2 * 12000);
    // and the journal holds every seed exactly once (a resumed seed is never journaled again)
    expect(journalSeedCount(journal)).toBe(12000);
  }, 180_000);

  it('with --rows none and checkpoints every 30 ms (journal compactions), kills anywhere lose nothing', async () => {
    const dir = tempDir();
    const trial = writeTrial(dir, { ...trialSpec, seeds: 3000 });
    const reference = join(dir, 'reference');
    expect(lth(['run', trial, '--out', reference, '--quiet', '--rows', 'none']).code).toBe(0);
    const out = join(dir, 'killed');
    const args = ['run', trial, '--out', out, '--quiet', '--threads', '2', '--rows', 'none'];
    // seeds done so far: the checkpoint's plus the journal's records after it
    const doneSeeds = () => {
      let n = journalSeedCount(join(out, 'slow', 'journal.bin'));
      try {
        const text = readFileSync(join(out, 'slow', 'state.json'), 'utf8');
        const state = JSON.parse(text.slice(text.indexOf('"state":') + 8, text.lastIndexOf('}')));
        for (const cell of state.cells) for (const [a, b] of cell.done) n += b - a;
      } catch { /* no checkpoint yet, or being replaced */ }
      return n;
    };
    let kills = 0;
    for (const threshold of [400, 1400, 2400, 3400, 4400]) {
      const child = lthChild(args, { LTH_TEST_CHECKPOINT_MS: '30' });
      const done = exited(child);
      let finished = false;
      while (!finished && doneSeeds() < threshold) {
        finished = await Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20))]);
      }
      if (finished) break;
      child.kill('SIGKILL');
      await done;
      kills++;
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    const resumed = lth(args);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(read(join(out, 'slow', 'summary.csv'))).toBe(read(join(reference, 'slow', 'summary.csv')));
  }, 180_000);

  it('a kill during the end-of-run phase loses nothing', async () => {
    const dir = tempDir();
    const trial = writeTrial(dir, { ...trialSpec, seeds: 400 });
    const reference = join(dir, 'reference');
    expect(lth(['run', trial, '--out', reference, '--quiet']).code).toBe(0);
    const out = join(dir, 'killed');
    // LTH_TEST_END_DELAY_MS holds the run between its last checkpoint and its outputs
    const child = lthChild(['run', trial, '--out', out, '--quiet'], { LTH_TEST_END_DELAY_MS: '60000' });
    const done = exited(child);
    await until(() => existsSync(join(out, 'slow', 'end-delay')), 120_000);
    child.kill('SIGKILL');
    await done;
    expect(existsSync(join(out, 'slow', 'trials.csv'))).toBe(false);
    const resumed = lth(['run', trial, '--out', out, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(read(join(out, 'run.json'))).seeds_run).toBe(0); // the resume computed nothing (the killed invocation never recorded its count)
    expect(read(join(out, 'slow', 'trials.csv'))).toBe(read(join(reference, 'slow', 'trials.csv')));
    expect(read(join(out, 'slow', 'summary.csv'))).toBe(read(join(reference, 'slow', 'summary.csv')));
  }, 180_000);

  it('re-running a complete run recomputes nothing and keeps the files', () => {
    const dir = tempDir();
    const trial = writeTrial(dir, { ...trialSpec, seeds: 200 });
    const out = join(dir, 'r');
    expect(lth(['run', trial, '--out', out, '--quiet']).code).toBe(0);
    const before = read(join(out, 'slow', 'trials.csv'));
    const seedsRun = JSON.parse(read(join(out, 'run.json'))).seeds_run;
    expect(lth(['run', trial, '--out', out, '--quiet']).code).toBe(0);
    expect(read(join(out, 'slow', 'trials.csv'))).toBe(before);
    expect(JSON.parse(read(join(out, 'run.json'))).seeds_run).toBe(seedsRun);
  });

  it('a larger --seeds extends a run to what a direct run gives', () => {
    const dir = tempDir();
    const trial = writeTrial(dir, { ...trialSpec, params: { ...trialSpec.params, k: 500 } });
    const direct = join(dir, 'direct');
    expect(lth(['run', trial, '--out', direct, '--quiet', '--seeds', '900']).code).toBe(0);
    const extended = join(dir, 'extended');
    expect(lth(['run', trial, '--out', extended, '--quiet', '--seeds', '300']).code).toBe(0);
    expect(lth(['run', trial, '--out', extended, '--quiet', '--seeds', '900']).code).toBe(0);
    expect(read(join(extended, 'slow', 'trials.csv'))).toBe(read(join(direct, 'slow', 'trials.csv')));
    expect(read(join(extended, 'slow', 'summary.csv'))).toBe(read(join(direct, 'slow', 'summary.csv')));
    const fewer = lth(['run', trial, '--out', extended, '--quiet', '--seeds', '100']);
    expect(fewer.code).toBe(2);
    expect(fewer.stderr).toMatch(/--seeds must be ≥ 900/);
  });
});
