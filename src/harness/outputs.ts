import { openSync, writeSync, closeSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Experiment, Value, Cell as RowCell } from '../experiments/types.js';
import type { Cell } from '../trial/expand.js';
import { readJournalLines } from './journal.js';
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
  const perCell: { seed: number; line: string }[][] = cells.map(() => []);
  if (existsSync(journalFile)) readJournalLines(journalFile, (cell, seed, line) => perCell[cell].push({ seed, line }));
  const paramNames = Object.keys(cells[0].params);
  const trials = new Writer(join(trialDir, 'trials.csv'));
  trials.write(['cell', 'seed_index', 'seed_hex', ...paramNames.map(paramColumn), ...experiment.columns.map((c) => c.name)].join(',') + '\n');
  const summaryRows: Value[][] = [];
  const tallies: CellTally[] = [];
  const successIndex = experiment.columns.findIndex((c) => c.name === 'success');
  for (const cell of cells) {
    const entries = perCell[cell.index].sort((a, b) => a.seed - b.seed);
    const paramsCsv = csvLine(paramNames.map((n) => cell.params[n])).slice(0, -1);
    const rows: RowCell[][] = [];
    let successes = 0;
    let previousSeed = -1;
    for (const { seed, line } of entries) {
      if (seed === previousSeed) continue; // a seed journaled twice (retried batch) counts once
      previousSeed = seed;
      const third = line.indexOf(',', line.indexOf(',', line.indexOf(',') + 1) + 1);
      const head = line.slice(0, third);
      const rest = line.slice(third + 1);
      trials.write(head + ',' + paramsCsv + ',' + rest + '\n');
      const row = rest.split(',').map((s) => (s === '' ? null : Number(s)));
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
