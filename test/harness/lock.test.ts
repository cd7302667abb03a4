import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { lth, tempDir, writeTrial, read, parseCsv } from '../helpers/cli.js';
import { lthChild, exited, until } from '../helpers/process.js';
import { journalSeedCount } from '../support/journal.js';

const slow = { name: 'slow', experiment: 'weight-lemma', seeds: 30000, delta: 0.1, params: { w: 0.95, epsilon: 0.01, k: 60000, sampler: 'scan' } };

/** One writer per run directory (issue 15): two real processes on the same --out. */
describe('the run-directory lock', () => {
  it('refuses a second run naming the holder, lets lth report read a snapshot, and recovers a dead holder\'s lock', async () => {
    const dir = tempDir();
    const trial = writeTrial(dir, slow);
    const out = join(dir, 'busy');
    const first = lthChild(['run', trial, '--out', out, '--quiet', '--threads', '1']);
    const firstExit = exited(first);
    await until(() => journalSeedCount(join(out, 'slow', 'journal.bin')) >= 20, 90_000);
    expect(existsSync(join(out, 'run.lock'))).toBe(true);

    const second = lth(['run', trial, '--out', out, '--quiet', '--seeds', '60000']);
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toContain(`in use by another lth run (pid ${first.pid} on ${hostname()}`);

    const snapshot = lth(['report', out]);
    expect(snapshot.code).toBe(0);
    expect(snapshot.stdout).toContain('is being written by');
    expect(snapshot.stdout).toContain('partial: running now');
    expect(existsSync(join(out, 'report.md'))).toBe(false); // read-only

    first.kill('SIGKILL');
    await firstExit;
    expect(existsSync(join(out, 'run.lock'))).toBe(true); // left behind by the dead process
    // the dead holder's lock is taken over (3 s of work are enough to see it run)
    const resumed = lth(['run', trial, '--out', out, '--quiet', '--threads', '2', '--max-time', '3s']);
    expect(resumed.code).toBe(0);
    expect(existsSync(join(out, 'run.lock'))).toBe(false);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(['partial', 'complete']).toContain(run.status); // --max-time may or may not cut it, on a quiet machine
    const seeds = Number(parseCsv(read(join(out, 'slow', 'summary.csv')))[0].seeds);
    expect(seeds).toBeGreaterThanOrEqual(20);
  }, 240_000);

  it('two processes recovering the same dead holder\'s lock at once: exactly one runs, the other is refused naming it', async () => {
    const dir = tempDir();
    const trial = writeTrial(dir, { ...slow, seeds: 400 });
    const out = join(dir, 'stale');
    mkdirSync(out, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited and reaped: its pid is dead
    writeFileSync(join(out, 'run.lock'), JSON.stringify({ pid: dead, host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
    // both judge the lock stale, then pause 1.5 s before removing it: the first to remove it writes its own
    // lock, which the second must see instead of deleting it (before the fix: both ran on one directory)
    const env = { LTH_TEST_LOCK_PAUSE_MS: '1500' };
    const a = lthChild(['run', trial, '--out', out, '--quiet', '--threads', '1'], env);
    const b = lthChild(['run', trial, '--out', out, '--quiet', '--threads', '1'], env);
    const errs = ['', ''];
    a.stderr!.on('data', (d) => (errs[0] += d));
    b.stderr!.on('data', (d) => (errs[1] += d));
    const codes = await Promise.all([exited(a), exited(b)]);
    expect([...codes].sort()).toEqual([0, 2]);
    const refused = errs[codes.indexOf(2)];
    expect(refused.trim().split('\n')).toHaveLength(1);
    expect(refused).toContain('in use by another lth run');
    expect(Number(parseCsv(read(join(out, 'slow', 'summary.csv')))[0].seeds)).toBe(400);
  }, 120_000);
});
