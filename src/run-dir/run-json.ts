import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../errors.js';
import type { RunConfig } from '../trial/config.js';
import { RUN_JSON } from './files.js';

export interface Shard {
  index: number;
  count: number;
}

/** What a completed trial's files looked like, so a re-run can tell they are unchanged. */
export interface TrialSeal {
  journal_bytes: number;
  /** sha256 of the journal's last ≤ 1 MiB. */
  journal_tail_sha256: string;
  state_sha256: string;
  /** Bytes of trials.csv or trials.parquet (null with rows "none"). */
  rows_file_bytes: number | null;
}

/** run.json (DESIGN.md "Run directory"). */
export interface RunJson extends RunConfig {
  tool: { name: string; version: string };
  config_hash: string;
  shard: Shard | null;
  versions: Record<string, string>;
  git_commit: string | null;
  started: string;
  ended: string | null;
  threads: number;
  elapsed_s: number;
  seeds_run: number;
  seeds_per_s: number | null;
  status: 'running' | 'partial' | 'complete';
  /** Multiplicity adjustment of the verdicts over all cells (reporting only; not hashed). */
  family_wise?: 'holm' | 'none';
  /** Per trial name, set when the run completes (issue 15: a changed journal is refused). */
  seals?: Record<string, TrialSeal>;
}

export function readRunJson(dir: string): RunJson {
  const file = join(dir, RUN_JSON);
  if (!existsSync(file)) throw errors.runDirMissing(dir);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunJson;
  } catch (e) {
    throw errors.corruptRunJson(dir, (e as Error).message);
  }
}

/** Writes run.json atomically (temp file + rename), so a kill never leaves it torn. */
export function writeRunJson(dir: string, run: RunJson): void {
  const file = join(dir, RUN_JSON);
  writeFileSync(file + '.tmp', JSON.stringify(run, null, 2) + '\n');
  renameSync(file + '.tmp', file);
}
