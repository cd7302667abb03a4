import { journalSeedCount } from '../support/journal.js';
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { lth, tempDir, writeTrial, read, CLI, ROOT } from '../helpers/cli.js';

/**
 * Ctrl-C / SIGTERM, --max-time and progress lines, with real processes and signals.
 * A slow trial (busy work per seed) gives time to interrupt.
 */
const env = { ...process.env, LTH_TEST_EXPERIMENTS: '1' };
const dir = tempDir();
const trial = writeTrial(dir, { name: 's', experiment: 'test-fault', seeds: 30000, delta: 0.1, params: { spin: 20000 } });
const reference = join(dir, 'reference');

function journalLines(out: string): number {
  return journalSeedCount(join(out, 's', 'journal.bin'));
}

interface Finished { code: number | null; stderr: string; ms: number }

/** Starts a run, waits until its journal holds `lines` rows, then sends `signals` (ms apart). */
async function interrupt(out: string, lines: number, signals: NodeJS.Signals[], extra: string[] = []): Promise<Finished> {
  const child = spawn(process.execPath, [CLI, 'run', trial, '--out', out, ...extra], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  while (journalLines(out) < lines) await new Promise((r) => setTimeout(r, 20));
  const sent = Date.now();
  for (const signal of signals) {
    child.kill(signal);
    await new Promise((r) => setTimeout(r, 30));
  }
  const code = await exited;
  return { code, stderr, ms: Date.now() - sent };
}

function expectSameAsReference(out: string) {
  expect(read(join(out, 's', 'trials.csv'))).toBe(read(join(reference, 's', 'trials.csv')));
  expect(read(join(out, 's', 'summary.csv'))).toBe(read(join(reference, 's', 'summary.csv')));
}

describe('interrupting a run', () => {
  it('reference run', () => {
    const result = lth(['run', trial, '--out', reference, '--quiet'], undefined, { LTH_TEST_EXPERIMENTS: '1' });
    expect(result.code).toBe(0);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`first ${signal}: finishes in-flight batches, writes partial outputs, prints the resume command; the same command completes`, async () => {
      const out = join(dir, signal);
      const stopped = await interrupt(out, 2000, [signal], ['--quiet']);
      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toMatch(new RegExp(`resume with: lth run \\S+ --out ${out.replace(/[/.]/g, '\\$&')} --quiet`));
      const run = JSON.parse(read(join(out, 'run.json')));
      expect(run.status).toBe('partial');
      const summary = read(join(out, 's', 'summary.csv')).trimEnd().split('\n');
      const seeds = Number(summary[1].split(',')[6]);
      expect(seeds).toBeGreaterThanOrEqual(2000);
      expect(seeds).toBeLessThan(30000);
      expect(lth(['run', trial, '--out', out, '--quiet'], undefined, { LTH_TEST_EXPERIMENTS: '1' }).code).toBe(0);
      expectSameAsReference(out);
    });
  }

  it('a second SIGINT exits at once; the journal stays valid', async () => {
    const out = join(dir, 'twice');
    const stopped = await interrupt(out, 1000, ['SIGINT', 'SIGINT'], ['--quiet']);
    expect(stopped.code).toBe(130);
    expect(stopped.ms).toBeLessThan(5000);
    expect(lth(['run', trial, '--out', out, '--quiet'], undefined, { LTH_TEST_EXPERIMENTS: '1' }).code).toBe(0);
    expectSameAsReference(out);
  });

  it('--max-time stops scheduling at the deadline, marks the run partial; the same command resumes', () => {
    const out = join(dir, 'max-time');
    const stopped = lth(['run', trial, '--out', out, '--max-time', '1s'], undefined, { LTH_TEST_EXPERIMENTS: '1' });
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/\[lth\] partial: .*\n\[lth\] resume with: lth run .* --max-time 1s/);
    expect(JSON.parse(read(join(out, 'run.json'))).status).toBe('partial');
    expect(lth(['run', trial, '--out', out, '--quiet'], undefined, { LTH_TEST_EXPERIMENTS: '1' }).code).toBe(0);
    expectSameAsReference(out);
  });
});

describe('progress', () => {
  it('prints a line every --log-every seconds when stderr is not a TTY, and nothing with --quiet', () => {
    const noisy = lth(['run', trial, '--out', join(dir, 'noisy'), '--log-every', '0.2', '--seeds', '30000'], undefined, { LTH_TEST_EXPERIMENTS: '1' });
    expect(noisy.code).toBe(0);
    const lines = noisy.stderr.split('\n').filter((l) => /^\[lth\] \d+\/30000 seeds \(\d+\.\d%\), \d+ seeds\/s, ETA \S+, s cell 0$/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const quiet = lth(['run', trial, '--out', join(dir, 'quiet'), '--quiet', '--seeds', '3000'], undefined, { LTH_TEST_EXPERIMENTS: '1' });
    expect(quiet.stderr).toBe('');
  });
});
