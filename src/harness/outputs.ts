import { join } from 'node:path';
import { openSync, writeSync, closeSync, renameSync, fsyncSync } from 'node:fs';
import { SUMMARY_CSV } from '../run-dir/files.js';
import { summarizeCell, applyHolm, summaryCsv, type TrialSummary } from '../run-dir/summary.js';
import { DiskFullError } from './disk.js';
import type { TrialRun } from './trial-run.js';

export { csvLine, paramColumn, SUMMARY_COLUMNS } from '../run-dir/csv.js';

/** Writes a small file atomically (temp file + rename): readers never see half of it. */
export function writeAtomic(file: string, text: string): void {
  try {
    const fd = openSync(file + '.tmp', 'w');
    try {
      const data = Buffer.from(text);
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(file + '.tmp', file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') throw new DiskFullError(file, 'ENOSPC');
    throw e;
  }
}

/** Per trial, the summary records of its cells from their streaming aggregates (Holm over all cells when asked). */
export function summarizeRun(trials: TrialRun[], familyWise: 'holm' | 'none'): TrialSummary[] {
  const summaries = trials.map((t) => ({
    experiment: t.setup.experiment,
    confidence: t.setup.confidence,
    records: t.setup.cells.map((cell, c) => summarizeCell(t.setup.experiment, cell, t.stats[c], t.setup.confidence, t.setup.stop)),
  }));
  if (familyWise === 'holm') applyHolm(summaries);
  return summaries;
}

/**
 * The end of a run: every trial's summary.csv (from the aggregates) and its per-seed rows
 * (trials.csv or trials.parquet: the journal's batches in (cell, seed) order). Nothing machine- or time-dependent
 * goes in, so any thread count, batch size or kill/resume sequence gives the same bytes.
 * `skipTrialsCsv` leaves an unchanged rows file of a completed run alone.
 */
export function writeRunOutputs(trials: TrialRun[], familyWise: 'holm' | 'none', skipTrialsCsv = false): TrialSummary[] {
  const summaries = summarizeRun(trials, familyWise);
  trials.forEach((t, j) => {
    const paramNames = Object.keys(t.setup.cells[0]?.params ?? {});
    writeAtomic(join(t.dir, SUMMARY_CSV), summaryCsv(summaries[j], paramNames));
    if (!skipTrialsCsv) t.writeRows();
  });
  return summaries;
}
