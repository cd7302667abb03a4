import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { lth, tempDir, writeTrial } from '../helpers/cli.js';
import { lthChild, exited, until } from '../helpers/process.js';
import { journalRecords, journalSeedCount } from '../support/journal.js';
import { encodeRecord } from '../../src/harness/record.js';
import { experiments } from '../../src/experiments/index.js';
import { newCellStats } from '../../src/experiments/aggregate.js';

const slow = { name: 'v', experiment: 'weight-lemma', seeds: 20000, delta: 0.1, params: { w: 0.95, epsilon: 0.01, k: [60000, 70000], sampler: 'scan' } };

/** A record with a valid checksum whose contents are wrong: the journal must still refuse it. */
function forged(cell: number, firstPos: number, count: number, row: (number | null)[]): Buffer {
  const stats = newCellStats(experiments['weight-lemma']);
  for (let j = 0; j < count; j++) stats.add(row);
  return Buffer.from(encodeRecord(cell, firstPos, count, JSON.stringify(stats), ''));
}

/**
 * Every record replayed on resume is validated (issue 15): checksum, cell, seed range,
 * duplicates, column types; a refusal is one line naming the file and the record, exit 2.
 */
describe('journal validation on resume', () => {
  it('refuses damaged, duplicated, out-of-range and ill-typed records, and an edited checkpoint', async () => {
    const dir = tempDir();
    const trial = writeTrial(dir, slow);
    const out = join(dir, 'run');
    const journal = join(out, 'v', 'journal.bin');
    // killed before its first checkpoint: every record is replayed on resume
    const child = lthChild(['run', trial, '--out', out, '--quiet', '--threads', '2', '--batch-size', '4']);
    const done = exited(child);
    await until(() => journalSeedCount(journal) >= 40);
    child.kill('SIGKILL');
    await done;
    expect(existsSync(join(out, 'v', 'state.json'))).toBe(false);
    const original = readFileSync(journal);
    const records = journalRecords(journal);
    expect(records.length).toBeGreaterThanOrEqual(5);
    const refused = (pattern: RegExp) => {
      const r = lth(['run', trial, '--out', out, '--quiet', '--max-time', '1s']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/journal\.bin: /);
      expect(r.stderr).toMatch(pattern);
      writeFileSync(journal, original);
    };

    const damaged = Buffer.from(original);
    damaged[records[1].offset + 40] ^= 4;
    writeFileSync(journal, damaged);
    refused(new RegExp(`record 2 \\(byte ${records[1].offset}\\) fails its checksum`));

    appendFileSync(journal, original.subarray(records[0].offset, records[0].offset + records[0].bytes));
    refused(/are recorded twice/);

    const row = [1, 0.001, 5, 5, 0.95, 2];
    appendFileSync(journal, forged(0, 20000, 1, row));
    refused(/seeds 20000\.\.20000 \(positions\) are outside the cell's 20000/);

    appendFileSync(journal, forged(7, 19990, 1, row));
    refused(/cell 7 is not in \[0, 1\]/);

    appendFileSync(journal, forged(1, 19990, 2, [2, 0.001, 5, 5, 0.95, 2]));
    refused(/column success holds values other than 0 and 1/);

    appendFileSync(journal, forged(1, 19990, 1, [1, 0.001, 5.5, 5, 0.95, 2]));
    refused(/column critical_width holds a non-integer/);

    // intact, it resumes
    const resumed = lth(['run', trial, '--out', out, '--quiet', '--max-time', '1s']);
    expect(resumed.code).toBe(0);
    const state = join(out, 'v', 'state.json');
    const text = readFileSync(state, 'utf8');
    writeFileSync(state, text.replace('"seeds":', '"seeds": '));
    const edited = lth(['run', trial, '--out', out, '--quiet', '--max-time', '1s']);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/state\.json: fails its checksum \(edited or damaged\)/);
  }, 120_000);
});
