import { openSync, writeSync, closeSync, renameSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Experiment, Value, Cell as RowCell } from '../experiments/types.js';
import type { Cell } from '../trial/expand.js';
import { clopperPearson } from '../stats/clopper-pearson.js';
import { verdict } from '../stats/verdict.js';

/**
 * CSV formatting (DESIGN.md "Run directory"): numbers re-parse to the same double
 * (JavaScript's shortest round-trip form), booleans 0/1 (csv-stringify would write
 * false as an empty cell), empty only for "none".
 */
export function csvLine(values: Value[]): string {
  return stringify([values], {
    cast: {
      boolean: (b: boolean) => (b ? '1' : '0'),
      number: (n: number) => String(n),
    },
  });
}

/** The fixed columns of summary.csv between the parameters and the experiment's own. */
export const SUMMARY_COLUMNS = ['seeds', 'successes', 'p_hat', 'ci_low', 'ci_high', 'target', 'verdict', 'theory_width'];

/**
 * The CSV column of a parameter: its name, or `param_<name>` when that name is also a
 * fixed column (weight-prune's `target` kind vs the claimed probability `target` = 1 − δ).
 */
export function paramColumn(name: string): string {
  return SUMMARY_COLUMNS.includes(name) || name === 'cell' ? `param_${name}` : name;
}

/** The header of a trial's journal: fixed by the experiment's columns. */
export function journalHeader(experiment: Experiment): string {
  return ['cell', 'seed_index', 'seed_hex', ...experiment.columns.map((c) => c.name)].join(',');
}

class Writer {
  private fd: number;
  private buffer = '';
  constructor(readonly file: string) {
    this.fd = openSync(file + '.tmp', 'w');
  }
  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length > 1 << 20) this.flush();
  }
  private flush(): void {
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
  /** Completes the file atomically: readers never see a half-written CSV. */
  close(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.file + '.tmp', this.file);
  }
}

export interface CellTally {
  seeds: number;
  successes: number;
}

/**
 * Writes trials.csv (one row per (cell, seed), sorted) and summary.csv (one row per
 * cell) from the journal. Nothing machine- or time-dependent goes in, so any thread
 * count, batch size or kill/resume sequence gives the same bytes.
 */
export function writeTrialOutputs(
  trialDir: string,
  experiment: Experiment,
  cells: Cell[],
  confidence: number,
): CellTally[] {
  const journalFile = join(trialDir, 'journal.csv');
  const index = indexJournal(journalFile);
  const paramNames = Object.keys(cells[0].params);
  const trials = new Writer(join(trialDir, 'trials.csv'));
  trials.write(['cell', 'seed_index', 'seed_hex', ...paramNames.map(paramColumn), ...experiment.columns.map((c) => c.name)].join(',') + '\n');
  const summaryRows: Value[][] = [];
  const tallies: CellTally[] = [];
  const successIndex = experiment.columns.findIndex((c) => c.name === 'success');
  let j = 0; // position in the sorted order
  for (const cell of cells) {
    const paramsCsv = csvLine(paramNames.map((n) => cell.params[n])).slice(0, -1);
    const rows: RowCell[][] = [];
    let successes = 0;
    let previousSeed = -1;
    while (j < index.order.length && index.cell[index.order[j]] < cell.index) j++;
    for (; j < index.order.length && index.cell[index.order[j]] === cell.index; j++) {
      const line = index.order[j];
      const seed = index.seed[line];
      if (seed === previousSeed) continue; // a seed journaled twice (retried batch) counts once
      previousSeed = seed;
      const text = index.buffer.toString('utf8', index.start[line], index.end[line]);
      const third = text.indexOf(',', text.indexOf(',', text.indexOf(',') + 1) + 1);
      const rest = text.slice(third + 1);
      trials.write(text.slice(0, third) + ',' + paramsCsv + ',' + rest + '\n');
      const row = rest.split(',').map((v) => (v === '' ? null : Number(v)));
      rows.push(row);
      if (row[successIndex] === 1) successes++;
    }
    const seeds = rows.length;
    const interval = clopperPearson(successes, seeds, confidence);
    const delta = cell.params.delta as number;
    const target = 1 - delta;
    summaryRows.push([
      cell.index,
      ...paramNames.map((n) => cell.params[n]),
      seeds,
      successes,
      seeds > 0 ? successes / seeds : null,
      interval.low,
      interval.high,
      target,
      seeds > 0 ? verdict(interval, target) : 'undecided',
      experiment.theoryWidth(cell.params),
      ...experiment.summarize(cell.params, rows),
    ]);
    tallies.push({ seeds, successes });
  }
  trials.close();
  const summary = new Writer(join(trialDir, 'summary.csv'));
  const header = ['cell', ...paramNames.map(paramColumn), ...SUMMARY_COLUMNS, ...experiment.summaryColumns.map((c) => c.name)];
  summary.write(header.join(',') + '\n');
  for (const row of summaryRows) summary.write(csvLine(row));
  summary.close();
  return tallies;
}

interface JournalIndex {
  buffer: Buffer;
  cell: Float64Array;
  seed: Float64Array;
  start: Float64Array;
  end: Float64Array;
  /** Line numbers sorted by (cell, seed). */
  order: Uint32Array;
}

/**
 * Indexes the journal's complete data lines by (cell, seed) without turning them into
 * strings: the end-of-run sort costs the journal's bytes plus ≈ 36 bytes a seed, not a
 * JavaScript object per row.
 */
function indexJournal(file: string): JournalIndex {
  const buffer = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
  let lines = 0;
  for (let i = 0; i < buffer.length; i++) if (buffer[i] === 10) lines++;
  const n = Math.max(0, lines - 1); // minus the header
  const cell = new Float64Array(n), seed = new Float64Array(n), start = new Float64Array(n), end = new Float64Array(n);
  let pos = buffer.indexOf(10) + 1, count = 0;
  while (pos > 0 && pos < buffer.length && count < n) {
    const stop = buffer.indexOf(10, pos);
    if (stop < 0) break; // torn last line
    let p = pos, c = 0, s = 0;
    while (buffer[p] !== 44) c = c * 10 + (buffer[p++] - 48);
    p++;
    while (buffer[p] !== 44) s = s * 10 + (buffer[p++] - 48);
    cell[count] = c; seed[count] = s; start[count] = pos; end[count] = stop;
    count++;
    pos = stop + 1;
  }
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => cell[a] - cell[b] || seed[a] - seed[b]);
  return { buffer, cell, seed, start, end, order };
}
