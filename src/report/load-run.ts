import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readRunJson, type RunJson } from '../harness/rundir.js';
import type { TrialConfig } from '../trial/config.js';

/** A run directory as the report sees it: run.json plus each trial's CSVs (nothing else). */
export interface LoadedTrial {
  config: TrialConfig;
  summary: Record<string, string>[];
  /** trials.csv rows, or null when the file is missing (a run still in progress). */
  rows: Record<string, string>[] | null;
}

export interface LoadedRun {
  dir: string;
  run: RunJson;
  trials: LoadedTrial[];
}

function readCsv(file: string): Record<string, string>[] | null {
  if (!existsSync(file)) return null;
  return parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

export function loadRun(dir: string): LoadedRun {
  const run = readRunJson(dir);
  const trials = run.trials.map((config) => ({
    config,
    summary: readCsv(join(dir, config.name, 'summary.csv')) ?? [],
    rows: readCsv(join(dir, config.name, 'trials.csv')),
  }));
  return { dir, run, trials };
}

/** A numeric CSV cell: empty means "none". */
export function num(value: string | undefined): number | null {
  return value === undefined || value === '' ? null : Number(value);
}
