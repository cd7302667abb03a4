import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { statSync, readFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { lth, tempDir, writeTrial, read } from '../helpers/cli.js';
import { journalRecords } from '../support/journal.js';

const trialSpec = { name: 'full', experiment: 'weight-lemma', seeds: 4000, delta: 0.1, params: { w: 'uniform', epsilon: 0.05, k: [50, 500] } };

/** Nothing lost when the disk fills up (issue 15): rolled back to complete records, one line, resumable. */
describe('a full disk', () => {
  it('stops with one line and exit 2, keeps the journal on a record boundary, and resumes to the same bytes', () => {
    const dir = tempDir();
    const trial = writeTrial(dir, trialSpec);
    const reference = join(dir, 'reference');
    expect(lth(['run', trial, '--out', reference, '--quiet', '--batch-size', '100']).code).toBe(0);

    const out = join(dir, 'out');
    const full = lth(['run', trial, '--out', out, '--quiet', '--batch-size', '100'], undefined, { LTH_TEST_DISK_LIMIT: '200000' });
    expect(full.code).toBe(2);
    expect(full.stderr.trim().split('\n')).toHaveLength(1);
    expect(full.stderr).toMatch(/journal\.bin: the disk is full \(ENOSPC\); every finished batch is kept/);
    const journal = join(out, 'full', 'journal.bin');
    const records = journalRecords(journal);
    const header = readFileSync(journal).indexOf(10) + 1;
    expect(records.length).toBeGreaterThan(0);
    expect(header + records.reduce((n, r) => n + r.bytes, 0)).toBe(statSync(journal).size); // no partial record
    expect(statSync(journal).size).toBeLessThanOrEqual(200000);
    expect(JSON.parse(read(join(out, 'run.json'))).status).toBe('partial');

    const resumed = lth(['run', trial, '--out', out, '--quiet', '--batch-size', '100']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(read(join(out, 'full', 'trials.csv'))).toBe(read(join(reference, 'full', 'trials.csv')));
    expect(read(join(out, 'full', 'summary.csv'))).toBe(read(join(reference, 'full', 'summary.csv')));
  }, 120_000);

  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  it.runIf(canMount)('on a real 400 kB tmpfs: one line, exit 2; after the disk grows, the same command completes', () => {
    const dir = tempDir();
    const trial = writeTrial(dir, trialSpec);
    const mount = join(dir, 'small');
    mkdirSync(mount);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=400k', 'tmpfs', mount]).status !== 0) {
      console.log('skipped: cannot mount a tmpfs here');
      return;
    }
    try {
      const out = join(mount, 'run');
      // the free-space check is an estimate; bypass it to reach a real ENOSPC mid-run
      const full = lth(['run', trial, '--out', out, '--quiet', '--batch-size', '100'], undefined, { LTH_TEST_FREE_BYTES: '1e12' });
      expect(full.code).toBe(2);
      expect(full.stderr.trim().split('\n')).toHaveLength(1);
      expect(full.stderr).toMatch(/the disk is full/);
      expect(spawnSync('mount', ['-o', 'remount,size=20m', mount]).status).toBe(0);
      const resumed = lth(['run', trial, '--out', out, '--quiet', '--batch-size', '100']);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(read(join(out, 'full', 'summary.csv')).split('\n')[1]).toContain(',4000,');
    } finally {
      spawnSync('umount', [mount]);
    }
  }, 120_000);
  if (!canMount) it.skip('on a real tmpfs (skipped: mounting needs root and mount(8))', () => {});
});
