import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readRunJson, type RunJson } from '../harness/rundir.js';
import type { TrialConfig } from '../trial/config.js';

/** A run directory as the report sees it: run.json plus each trial's CSVs (nothing else). */
export interface LoadedTrial {
  config: TrialConfig;
  summary: Record<string, string>[];
  /**
   * Per cell, the seeds' critical widths (+∞ where unknown: a scan stopped at k), or null
   * when trials.csv is missing or the experiment has no critical width.
   */
  critical: Map<number, Float64Array> | null;
  /** The same for the global criterion's critical widths (`global_critical_width`), or null. */
  globalCritical: Map<number, Float64Array> | null;
}

export interface LoadedRun {
  dir: string;
  run: RunJson;
  trials: LoadedTrial[];
}

function readCsv(file: string): Record<string, string>[] | null {
  // summary.csv only: one row per cell
  if (!existsSync(file)) return null;
  return parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

export function loadRun(dir: string): LoadedRun {
  const run = readRunJson(dir);
  const trials = run.trials.map((config) => ({
    config,
    summary: readCsv(join(dir, config.name, 'summary.csv')) ?? [],
    critical: readCriticalWidths(join(dir, config.name, 'trials.csv')),
    globalCritical: readCriticalWidths(join(dir, config.name, 'trials.csv'), 'global_critical_width'),
  }));
  return { dir, run, trials };
}

/** A numeric CSV cell: empty means "none". */
export function num(value: string | undefined): number | null {
  return value === undefined || value === '' ? null : Number(value);
}

/**
 * Reads only the `cell` and `critical_width` (or another width) columns of trials.csv into one Float64Array
 * per cell (8 bytes a seed), scanning the bytes instead of building an object per row.
 * Our writers never quote these columns or the ones before them (numbers and plain
 * parameter values); a quoted field falls back to csv-parse for that line.
 */
export function readCriticalWidths(file: string, column = 'critical_width'): Map<number, Float64Array> | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const headerEnd = text.indexOf('\n');
  const header = text.slice(0, headerEnd).split(',');
  const cellAt = header.indexOf('cell'), widthAt = header.indexOf(column);
  if (cellAt < 0 || widthAt < 0) return null;
  const lists = new Map<number, number[]>();
  let pos = headerEnd + 1;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    if (line === '') continue;
    const fields = line.includes('"') ? (parse(line) as string[][])[0] : line.split(',');
    const cell = Number(fields[cellAt]);
    const width = fields[widthAt] === '' ? Infinity : Number(fields[widthAt]);
    let list = lists.get(cell);
    if (!list) lists.set(cell, (list = []));
    list.push(width);
  }
  const out = new Map<number, Float64Array>();
  for (const [cell, list] of lists) out.set(cell, Float64Array.from(list));
  return out;
}

/**
 * A cell's width in the width parameter's unit: its value, or — for a width given as
 * "theory" and resolved per seed (neuron experiments) — the cell's theorem width.
 */
export function cellWidth(cell: Record<string, string>, widthColumn: string): number {
  const value = Number(cell[widthColumn]);
  if (Number.isFinite(value)) return value;
  return num(cell.theory_width) ?? NaN;
}
