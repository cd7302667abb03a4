import { journalSeedCount } from '../support/journal.js';
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { lth, lthAsync, tempDir, writeTrial, read, parseCsv } from '../helpers/cli.js';
import { confidenceSequence } from '../../src/stats/confidence-sequence.js';

/**
 * --until-decided / "stop": "decided": each cell stops at the first checkpoint 64·2^j whose
 * confidence sequence excludes 1 − δ; the output depends only on seed-index prefixes.
 */
const dir = tempDir();
const trialSpec = {
  name: 'ud', experiment: 'weight-lemma', seeds: 20000, delta: 0.05,
  params: { w: [0.5, 0.9], epsilon: 0.05, k: [10, 180, 230, 400, 2000], sampler: 'scan' },
};
const trial = writeTrial(dir, trialSpec);
const reference = join(dir, 'reference');
const args = (out: string, extra: string[] = []) => ['run', trial, '--out', out, '--quiet', '--until-decided', ...extra];

describe('--until-decided', () => {
  it('stops decided cells at a checkpoint, keeps undecided ones to the cap, reports the confidence sequence', () => {
    expect(lth(args(reference, ['--threads', '1'])).code).toBe(0);
    const summary = parseCsv(read(join(reference, 'ud', 'summary.csv')));
    const rows = parseCsv(read(join(reference, 'ud', 'trials.csv')));
    let stoppedEarly = 0;
    for (const cell of summary) {
      const seeds = Number(cell.seeds);
      expect(cell.interval).toBe('confidence-sequence');
      const cs = confidenceSequence(Number(cell.successes), seeds, 0.95);
      expect(Number(cell.ci_low)).toBe(cs.low);
      expect(Number(cell.ci_high)).toBe(cs.high);
      // rows past the decided prefix are dropped: seed indices 0..seeds−1 exactly
      const seedIndices = rows.filter((r) => r.cell === cell.cell).map((r) => Number(r.seed_index));
      expect(seedIndices).toEqual(Array.from({ length: seeds }, (_, i) => i));
      if (seeds < 20000) {
        stoppedEarly++;
        expect(Math.log2(seeds / 64) % 1).toBe(0); // a checkpoint 64·2^j
        expect(cell.verdict).not.toBe('undecided');
        // and the previous checkpoint did not decide
        if (seeds > 64) {
          const prefix = rows.filter((r) => r.cell === cell.cell && Number(r.seed_index) < seeds / 2);
          const before = confidenceSequence(prefix.filter((r) => r.success === '1').length, seeds / 2, 0.95);
          expect(before.low < 0.95 && before.high >= 0.95).toBe(true);
        }
      } else {
        expect(cell.verdict).toBe('undecided');
      }
    }
    expect(stoppedEarly).toBeGreaterThanOrEqual(6);
    expect(read(join(reference, 'report.md'))).toMatch(/anytime-valid\s+beta-binomial confidence sequence/);
  });

  it('is byte-identical for 2 threads and other batch sizes', () => {
    const out = join(dir, 'two');
    expect(lth(args(out, ['--threads', '2', '--batch-size', '13'])).code).toBe(0);
    expect(read(join(out, 'ud', 'trials.csv'))).toBe(read(join(reference, 'ud', 'trials.csv')));
    expect(read(join(out, 'ud', 'summary.csv'))).toBe(read(join(reference, 'ud', 'summary.csv')));
  });

  it('is byte-identical after a SIGKILL and resume', async () => {
    const out = join(dir, 'killed');
    const journal = join(out, 'ud', 'journal.bin');
    const child = lthAsync(args(out, ['--batch-size', '16']));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (;;) {
      await new Promise((r) => setTimeout(r, 10));
      if (journalSeedCount(journal) > 300) break;
    }
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(out, 'ud', 'trials.csv'))).toBe(false);
    expect(lth(args(out)).code).toBe(0);
    expect(read(join(out, 'ud', 'trials.csv'))).toBe(read(join(reference, 'ud', 'trials.csv')));
    expect(read(join(out, 'ud', 'summary.csv'))).toBe(read(join(reference, 'ud', 'summary.csv')));
  });

  it('"stop": "decided" in the trial file does the same', () => {
    const perTrial = writeTrial(dir, { ...trialSpec, stop: 'decided' }, 'per-trial.json');
    const out = join(dir, 'per-trial');
    expect(lth(['run', perTrial, '--out', out, '--quiet']).code).toBe(0);
    expect(read(join(out, 'ud', 'summary.csv'))).toBe(read(join(reference, 'ud', 'summary.csv')));
  });

  it('is refused with --shard, in one line', () => {
    const result = lth(args(join(dir, 'sharded'), ['--shard', '0/2']));
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^lth: --until-decided .* cannot be combined with --shard/);
  });
});

describe('--family-wise holm', () => {
  it('adjusts the verdicts of all cells together and says so in the report', () => {
    // the cells straddle 1 − δ, so whether Holm moves a verdict depends on the draws: scan (unchanged by weight-lemma v4's record chain)
    const spec = writeTrial(dir, { name: 'fam', experiment: 'weight-lemma', seeds: 400, delta: 0.05, params: { w: 0.5, epsilon: 0.1, k: [90, 100, 104, 110, 120, 1000], sampler: 'scan' } }, 'fam.json');
    const plain = join(dir, 'plain'), holm = join(dir, 'holm');
    expect(lth(['run', spec, '--out', plain, '--quiet']).code).toBe(0);
    expect(lth(['run', spec, '--out', holm, '--quiet', '--family-wise', 'holm']).code).toBe(0);
    const a = parseCsv(read(join(plain, 'fam', 'summary.csv'))), b = parseCsv(read(join(holm, 'fam', 'summary.csv')));
    let changed = 0;
    a.forEach((cell, i) => {
      expect(b[i].p_hat).toBe(cell.p_hat);
      // Holm only removes verdicts, never adds or flips one
      if (b[i].verdict !== 'undecided') expect(b[i].verdict).toBe(cell.verdict);
      if (b[i].verdict !== cell.verdict) changed++;
    });
    expect(changed).toBeGreaterThanOrEqual(1);
    expect(read(join(holm, 'report.md'))).toMatch(/Holm's step-down procedure over the family of all 6 cells/);
    expect(read(join(plain, 'report.md'))).toMatch(/Multiplicity: none \(per-cell verdicts over 6 cells/);
  });
});
