/**
 * The run directory's file names (DESIGN.md "Run directory"): one place that the harness,
 * the merge and the report all read.
 */
export const RUN_JSON = 'run.json';
export const LOCK = 'run.lock';
export const REPORT_MD = 'report.md';
export const PLOTS = 'plots';
/** Per trial, inside <run>/<trial>/. */
export const JOURNAL = 'journal.bin';
export const STATE = 'state.json';
export const TRIALS_CSV = 'trials.csv';
export const TRIALS_PARQUET = 'trials.parquet';
export const SUMMARY_CSV = 'summary.csv';

/** Names a trial may not take: its directory would collide with the run directory's own files (or look like a trial's). */
export const RESERVED_NAMES = [RUN_JSON, REPORT_MD, PLOTS, LOCK, 'state.json', 'journal.bin'];

/** How per-seed rows are kept (issue 12): trials.csv, trials.parquet, nothing (aggregates only). */
export const ROW_MODES = ['csv', 'parquet', 'none'] as const;
export type RowMode = (typeof ROW_MODES)[number];
