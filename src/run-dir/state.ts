import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { errors } from '../errors.js';
import type { CellStatsJson } from '../stats/cell-stats.js';
import type { RowMode } from './files.js';

/** One cell in a checkpoint: which seed positions are done and their aggregate. */
export interface CellState {
  done: number[][];
  stats: CellStatsJson;
  /** Early-stopped cells: seeds done and successes per checkpoint bucket (starting at `starts`). */
  buckets?: { starts: number[]; done: number[]; successes: number[] };
}

/**
 * `<trial>/state.json`: the checkpoint of a trial's streaming aggregates (issue 12). Written
 * atomically every few seconds and at the end; the journal's records up to `journal_bytes`
 * of epoch `epoch` are in it. It carries a checksum of its own content, so an edited
 * state.json is refused instead of reported.
 */
export interface TrialState {
  format: 1;
  trial: string;
  rows: RowMode;
  /** Shard of the run (seed = index + position·count). */
  shard: { index: number; count: number };
  epoch: number;
  journal_bytes: number;
  /** Written by lth merge: the rows are in trials.csv only, the state cannot be extended. */
  merged: boolean;
  cells: CellState[];
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function writeState(file: string, state: TrialState): void {
  const body = JSON.stringify(state);
  const text = `{"checksum":"${digest(body)}","state":${body}}\n`;
  const fd = openSync(file + '.tmp', 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(file + '.tmp', file);
}

/** Reads and verifies a checkpoint; null when there is none. */
export function readState(file: string): TrialState | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const match = /^\{"checksum":"([0-9a-f]{64})","state":([\s\S]*)\}\n?$/.exec(text);
  if (!match) throw errors.corruptState(file, 'is not an lth checkpoint');
  if (digest(match[2]) !== match[1]) throw errors.corruptState(file, 'fails its checksum (edited or damaged)');
  try {
    return JSON.parse(match[2]) as TrialState;
  } catch {
    throw errors.corruptState(file, 'is not valid JSON');
  }
}
