import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { readFileSync, existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { lth, tempDir, writeTrial, read, parseCsv } from '../helpers/cli.js';

const spec = { name: 'pq', experiment: 'weight-lemma', seeds: 2500, delta: 0.1, params: { w: [0.4, 'uniform'], epsilon: 0.05, k: [20, 300] } };
// row groups of 1000 rows: each cell of 2500 seeds is split into 1000 + 1000 + 500
const env = { LTH_TEST_ROW_GROUP_ROWS: '1000' };
const run = (args: string[]) => lth(['run', ...args, '--quiet'], undefined, env);

let connection: DuckDBConnection | null = null;
/** Rows of a parquet file as DuckDB reads it (an implementation independent of the writer). */
async function duck(sql: string): Promise<Record<string, unknown>[]> {
  connection ??= await (await DuckDBInstance.create(':memory:')).connect();
  return (await connection.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
}
afterAll(() => connection?.closeSync());

/** `--rows parquet` (issue 12): trials.parquet holds trials.csv's rows, typed, byte-identical however it was computed. */
describe('rows parquet', () => {
  const dir = tempDir();
  const trial = writeTrial(dir, spec);
  const csv = join(dir, 'csv');
  const a = join(dir, 'a');
  const file = (out: string) => join(out, 'pq', 'trials.parquet');
  const csvRun = run([trial, '--out', csv, '--batch-size', '97']);
  const aRun = run([trial, '--out', a, '--rows', 'parquet', '--threads', '2', '--batch-size', '97']);

  it('reads back in DuckDB value by value as trials.csv of the same trial', async () => {
    expect(csvRun.code).toBe(0);
    expect(aRun.stderr).toBe('');
    expect(aRun.code).toBe(0);
    expect(existsSync(join(a, 'pq', 'trials.csv'))).toBe(false);
    expect(read(join(a, 'pq', 'summary.csv'))).toBe(read(join(csv, 'pq', 'summary.csv')));
    const expected = parseCsv(read(join(csv, 'pq', 'trials.csv')));
    const rows = await duck(`SELECT * FROM read_parquet('${file(a)}')`);
    expect(rows).toHaveLength(expected.length);
    expect(Object.keys(rows[0])).toEqual(Object.keys(expected[0]));
    const types = Object.fromEntries((await duck(`DESCRIBE SELECT * FROM read_parquet('${file(a)}')`)).map((r) => [r.column_name, r.column_type]));
    expect(types).toMatchObject({ cell: 'BIGINT', seed_index: 'BIGINT', seed_hex: 'VARCHAR', w: 'VARCHAR', k: 'VARCHAR', success: 'BIGINT', error: 'DOUBLE', critical_width: 'BIGINT', w_value: 'DOUBLE' });
    let nulls = 0;
    rows.forEach((row, i) => {
      for (const [name, text] of Object.entries(expected[i])) {
        const value = row[name];
        if (text === '') {
          expect(value, `row ${i} ${name}`).toBeNull();
          nulls++;
        } else if (types[name] === 'VARCHAR') {
          expect(value, `row ${i} ${name}`).toBe(text);
        } else {
          expect(typeof value === 'bigint' ? Number(value) : value, `row ${i} ${name}`).toBe(Number(text)); // the same double
        }
      }
    });
    expect(nulls).toBeGreaterThan(0); // failures and unknown widths are null, not 0
  });

  it('splits every cell into bounded row groups that never span two cells', async () => {
    const groups = await duck(`SELECT row_group_id, row_group_num_rows AS rows, stats_min, stats_max FROM parquet_metadata('${file(a)}') WHERE path_in_schema = 'cell' ORDER BY row_group_id`);
    expect(groups.map((g) => Number(g.rows))).toEqual([1000, 1000, 500, 1000, 1000, 500, 1000, 1000, 500, 1000, 1000, 500]);
    expect(groups.every((g) => g.stats_min === g.stats_max)).toBe(true);
  });

  it('is byte-identical for any threads, batch sizes, resume and shards + lth merge', () => {
    const bytes = readFileSync(file(a));
    const b = join(dir, 'b');
    expect(run([trial, '--out', b, '--rows', 'parquet', '--threads', '1', '--batch-size', '300']).code).toBe(0);
    expect(readFileSync(file(b)).equals(bytes)).toBe(true);
    // a shorter run extended to the full count: rows from records before and after the checkpoint
    const resumed = join(dir, 'resumed');
    expect(run([trial, '--out', resumed, '--rows', 'parquet', '--seeds', '700', '--batch-size', '64']).code).toBe(0);
    expect(run([trial, '--out', resumed, '--batch-size', '211']).code).toBe(0);
    expect(readFileSync(file(resumed)).equals(bytes)).toBe(true);
    const shards = [0, 1, 2].map((i) => join(dir, `shard${i}`));
    shards.forEach((out, i) => expect(run([trial, '--out', out, '--rows', 'parquet', '--shard', `${i}/3`, '--threads', String(1 + (i % 2)), '--batch-size', String(50 + 40 * i)]).code).toBe(0));
    const merged = join(dir, 'merged');
    const m = lth(['merge', shards[1], shards[2], shards[0], '--out', merged], undefined, env);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(readFileSync(file(merged)).equals(bytes)).toBe(true);
    expect(read(join(merged, 'pq', 'summary.csv'))).toBe(read(join(a, 'pq', 'summary.csv')));
  });

  it('is part of the configuration: a resume with another mode is refused in one line', () => {
    const other = run([trial, '--out', a, '--rows', 'csv']);
    expect(other.code).toBe(2);
    expect(other.stderr.trim().split('\n')).toHaveLength(1);
    expect(other.stderr).toMatch(/pq\.rows parquet vs csv/);
    expect(run([trial, '--out', a]).code).toBe(0); // the recorded mode is kept
    const viaTrial = writeTrial(dir, { ...spec, rows: 'parquet' }, 'pq.json');
    const c = join(dir, 'trial-file');
    expect(run([viaTrial, '--out', c]).code).toBe(0);
    expect(readFileSync(file(c)).equals(readFileSync(file(a)))).toBe(true);
  });

  it('keeps 8 + 8 bytes a column a seed in the journal instead of CSV text', () => {
    const journal = (out: string) => readFileSync(join(out, 'pq', 'journal.bin')).length;
    expect(journal(a)).toBeLessThan(journal(csv) * 0.75);
    expect(readFileSync(file(a)).length).toBeLessThan(read(join(csv, 'pq', 'trials.csv')).length / 2);
  });
});
