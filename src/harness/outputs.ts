import { openSync, writeSync, closeSync, renameSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Experiment, Value } from '../experiments/types.js';
import { newCellStats, addRow } from '../experiments/aggregate.js';
import type { Cell } from '../trial/expand.js';
import { clopperPearson } from '../stats/clopper-pearson.js';
import { verdict, type Verdict } from '../stats/verdict.js';
import { confidenceSequence, anytimePValue } from '../stats/confidence-sequence.js';
import { binomialPValue } from '../stats/binomial.js';
import { holmRejections } from '../stats/holm.js';
import { decidedPrefix } from '../stats/sequential.js';

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
export const SUMMARY_COLUMNS = ['seeds', 'successes', 'p_hat', 'ci_low', 'ci_high', 'interval', 'target', 'verdict', 'theory_width'];

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

export type IntervalMethod = 'clopper-pearson' | 'confidence-sequence';

/** One cell's line of summary.csv before the family-wise adjustment. */
export interface SummaryRecord {
  cell: Cell;
  seeds: number;
  successes: number;
  low: number;
  high: number;
  method: IntervalMethod;
  /** Two-sided p-value of H₀: p = 1 − δ (exact binomial, or anytime-valid for confidence sequences). */
  pValue: number;
  verdict: Verdict;
  theoryWidth: number | null;
  extra: Value[];
}

export interface TrialSummary {
  trialDir: string;
  experiment: Experiment;
  confidence: number;
  records: SummaryRecord[];
}

export interface OutputTrial {
  trialDir: string;
  experiment: Experiment;
  cells: Cell[];
  confidence: number;
  stop: 'decided' | 'none';
  /** Seeds per cell (the cap of an early-stopped cell). */
  seeds: number;
}

/** One trial without early stopping or family-wise adjustment (benchmarks, tools). */
export function writeTrialOutputs(trialDir: string, experiment: Experiment, cells: Cell[], confidence: number, seeds = Infinity): TrialSummary {
  return writeRunOutputs([{ trialDir, experiment, cells, confidence, stop: 'none', seeds }], 'none')[0];
}

/**
 * Writes every trial's trials.csv (one row per (cell, seed), sorted) and summary.csv
 * (one row per cell) from the journals, adjusting verdicts over all cells of the run
 * when `familyWise` is "holm". Nothing machine- or time-dependent goes in, so any thread
 * count, batch size or kill/resume sequence gives the same bytes.
 */
export function writeRunOutputs(trials: OutputTrial[], familyWise: 'holm' | 'none'): TrialSummary[] {
  const summaries = trials.map((t) => writeTrialRows(t));
  if (familyWise === 'holm') applyHolm(summaries);
  for (const summary of summaries) writeSummary(summary);
  return summaries;
}

/** trials.csv of one trial; returns its per-cell records (early-stopped cells cut at their decided prefix). */
function writeTrialRows({ trialDir, experiment, cells, confidence, stop, seeds: cap }: OutputTrial): TrialSummary {
  const index = indexJournal(join(trialDir, 'journal.csv'));
  const paramNames = Object.keys(cells[0].params);
  const trials = new Writer(join(trialDir, 'trials.csv'));
  trials.write(['cell', 'seed_index', 'seed_hex', ...paramNames.map(paramColumn), ...experiment.columns.map((c) => c.name)].join(',') + '\n');
  const records: SummaryRecord[] = [];
  const successIndex = experiment.columns.findIndex((c) => c.name === 'success');
  let j = 0; // position in the sorted order
  for (const cell of cells) {
    const target = 1 - (cell.params.delta as number);
    while (j < index.order.length && index.cell[index.order[j]] < cell.index) j++;
    const first = j;
    while (j < index.order.length && index.cell[index.order[j]] === cell.index) j++;
    const limit = stop === 'decided' ? decidedLimit(index, first, j, successIndex, cap, confidence, target) : Infinity;
    const paramsCsv = csvLine(paramNames.map((n) => cell.params[n])).slice(0, -1);
    const stats = newCellStats(experiment);
    let successes = 0;
    let previousSeed = -1;
    for (let k = first; k < j; k++) {
      const line = index.order[k];
      const seed = index.seed[line];
      if (seed === previousSeed) continue; // a seed journaled twice (retried batch) counts once
      if (seed >= limit) break;
      previousSeed = seed;
      const text = index.buffer.toString('utf8', index.start[line], index.end[line]);
      const third = text.indexOf(',', text.indexOf(',', text.indexOf(',') + 1) + 1);
      const rest = text.slice(third + 1);
      trials.write(text.slice(0, third) + ',' + paramsCsv + ',' + rest + '\n');
      const row = rest.split(',').map((v) => (v === '' ? null : Number(v)));
      addRow(stats, experiment, row);
      if (row[successIndex] === 1) successes++;
    }
    const seeds = stats.seeds;
    const method: IntervalMethod = stop === 'decided' ? 'confidence-sequence' : 'clopper-pearson';
    const interval = method === 'confidence-sequence' ? confidenceSequence(successes, seeds, confidence) : clopperPearson(successes, seeds, confidence);
    records.push({
      cell,
      seeds,
      successes,
      low: interval.low,
      high: interval.high,
      method,
      pValue: seeds === 0 ? 1 : method === 'confidence-sequence' ? anytimePValue(successes, seeds, target) : binomialPValue(successes, seeds, target),
      verdict: seeds > 0 ? verdict(interval, target) : 'undecided',
      theoryWidth: experiment.theoryWidth(cell.params, stats),
      extra: experiment.summarize(cell.params, stats),
    });
  }
  trials.close();
  return { trialDir, experiment, confidence, records };
}

/** The decided prefix of an early-stopped cell, from its sorted journal entries [first, end). */
function decidedLimit(index: JournalIndex, first: number, end: number, successIndex: number, seeds: number, confidence: number, target: number): number {
  const success = new Int8Array(seeds).fill(-1);
  for (let k = first; k < end; k++) {
    const line = index.order[k];
    const seed = index.seed[line];
    if (seed >= seeds) continue;
    success[seed] = fieldAt(index, line, 3 + successIndex) === 1 ? 1 : 0;
  }
  return decidedPrefix(seeds, target, confidence, (i) => (success[i] < 0 ? null : (success[i] as 0 | 1)));
}

/** Numeric field `field` (0-based) of journal line `line`. */
function fieldAt(index: JournalIndex, line: number, field: number): number {
  let p = index.start[line];
  for (let f = 0; f < field; f++) while (index.buffer[p++] !== 44);
  let q = p;
  while (q < index.end[line] && index.buffer[q] !== 44) q++;
  return Number(index.buffer.toString('latin1', p, q));
}

/**
 * Holm's procedure over every cell of the run (DESIGN.md --family-wise holm): a cell keeps
 * a verdict only if its hypothesis p = 1 − δ is rejected by Holm at α = 1 − confidence
 * (the smallest α when trials differ); the direction is that of p̂ against 1 − δ.
 */
function applyHolm(summaries: TrialSummary[]): void {
  const records = summaries.flatMap((s) => s.records);
  const alpha = Math.min(...summaries.map((s) => 1 - s.confidence));
  const rejected = holmRejections(records.map((r) => r.pValue), alpha);
  records.forEach((r, i) => {
    const target = 1 - (r.cell.params.delta as number);
    r.verdict = !rejected[i] || r.seeds === 0 ? 'undecided' : r.successes / r.seeds >= target ? 'above' : 'below';
  });
}

function writeSummary({ trialDir, experiment, records }: TrialSummary): void {
  const paramNames = Object.keys(records[0]?.cell.params ?? {});
  const summary = new Writer(join(trialDir, 'summary.csv'));
  const header = ['cell', ...paramNames.map(paramColumn), ...SUMMARY_COLUMNS, ...experiment.summaryColumns.map((c) => c.name)];
  summary.write(header.join(',') + '\n');
  for (const r of records) {
    const target = 1 - (r.cell.params.delta as number);
    summary.write(csvLine([
      r.cell.index,
      ...paramNames.map((n) => r.cell.params[n]),
      r.seeds,
      r.successes,
      r.seeds > 0 ? r.successes / r.seeds : null,
      r.low,
      r.high,
      r.method,
      target,
      r.verdict,
      r.theoryWidth,
      ...r.extra,
    ]));
  }
  summary.close();
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
