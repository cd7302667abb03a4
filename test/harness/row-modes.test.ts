import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { existsSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { lth, tempDir, writeTrial, read } from '../helpers/cli.js';
import { journalRecords } from '../support/journal.js';

const spec = { name: 'rm', experiment: 'weight-lemma', seeds: 3000, delta: 0.1, params: { w: 'uniform', epsilon: [0.1, 0.05], k: [20, 200] } };

/** `--rows none` (issue 12): aggregates only; the same summary and report as with rows, disk flat in seeds. */
describe('row modes', () => {
  const dir = tempDir();
  const trial = writeTrial(dir, spec);
  const csv = join(dir, 'csv');
  const none = join(dir, 'none');
  const a = lth(['run', trial, '--out', csv, '--quiet', '--batch-size', '97']);
  const b = lth(['run', trial, '--out', none, '--quiet', '--rows', 'none', '--threads', '1', '--batch-size', '300']);

  it('gives the same summary.csv and report.md with and without per-seed rows', () => {
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(read(join(none, 'rm', 'summary.csv'))).toBe(read(join(csv, 'rm', 'summary.csv')));
    // everything after the run's own facts (directory, hash, times) is computed from the aggregates
    const body = (file: string) => read(file).slice(read(file).indexOf('How to read this'));
    expect(body(join(none, 'report.md'))).toBe(body(join(csv, 'report.md')));
    expect(existsSync(join(csv, 'rm', 'trials.csv'))).toBe(true);
    expect(existsSync(join(none, 'rm', 'trials.csv'))).toBe(false);
  });

  it('compacts the journal into the checkpoint: a finished run keeps no per-seed bytes', () => {
    const journal = join(none, 'rm', 'journal.bin');
    expect(journalRecords(journal)).toHaveLength(0);
    expect(statSync(journal).size).toBeLessThan(300);
    expect(statSync(join(none, 'rm', 'state.json')).size).toBeLessThan(statSync(join(csv, 'rm', 'trials.csv')).size / 5);
    expect(JSON.parse(read(join(none, 'run.json'))).trials[0].rows).toBe('none');
  });

  it('is part of the configuration: a resume keeps the recorded mode, another mode is refused naming it', () => {
    const again = lth(['run', trial, '--out', none, '--quiet', '--seeds', '4000']);
    expect(again.code).toBe(0);
    expect(existsSync(join(none, 'rm', 'trials.csv'))).toBe(false);
    expect(read(join(none, 'rm', 'summary.csv')).split('\n')[1]).toContain(',4000,');
    const other = lth(['run', trial, '--out', none, '--quiet', '--rows', 'csv']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/rm\.rows none vs csv/);
    const viaTrial = writeTrial(dir, { ...spec, rows: 'none' }, 'none.json');
    const c = join(dir, 'trial-none');
    expect(lth(['run', viaTrial, '--out', c, '--quiet']).code).toBe(0);
    expect(read(join(c, 'rm', 'summary.csv'))).toBe(read(join(csv, 'rm', 'summary.csv')));
    expect(lth(['run', viaTrial, '--out', join(dir, 'flag-wins'), '--quiet', '--rows', 'csv']).code).toBe(0);
    expect(existsSync(join(dir, 'flag-wins', 'rm', 'trials.csv'))).toBe(true);
  });

  it('the report recomputes from the aggregates: an edited summary.csv changes nothing it prints', () => {
    const file = join(csv, 'rm', 'summary.csv');
    const before = lth(['report', csv, '--format', 'json']).stdout;
    const text = readFileSync(file, 'utf8').split('\n');
    const fields = text[1].split(',');
    fields[9] = '0.999'; // p_hat
    fields[14] = 'above';
    text[1] = fields.join(',');
    writeFileSync(file, text.join('\n'));
    const after = lth(['report', csv, '--format', 'json']).stdout;
    expect(after).toBe(before);
  });

  it('refuses to start when the rows cannot fit on the disk, naming both figures and --rows none', () => {
    const out = join(dir, 'tiny-disk');
    const r = lth(['run', trial, '--out', out, '--quiet'], undefined, { LTH_TEST_FREE_BYTES: '100000' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/needs about [\d.]+ [kMG]?B of disk for its per-seed rows, and 100 kB is free; use --rows none/);
    expect(existsSync(out)).toBe(false);
    expect(lth(['run', trial, '--out', out, '--quiet', '--rows', 'none'], undefined, { LTH_TEST_FREE_BYTES: '100000' }).code).toBe(0);
    const dry = lth(['run', trial, '--dry-run', '--seeds', '100000000'], undefined, { LTH_TEST_FREE_BYTES: '100000' });
    expect(dry.stdout).toMatch(/disk: about [\d.]+ GB in .* \(100 kB free: does NOT fit, lth run will refuse; use --rows none\)/);
  });
});
