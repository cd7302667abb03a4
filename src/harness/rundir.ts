import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { errors } from '../errors.js';
import { configHash, configDifferences, type RunConfig } from '../trial/config.js';

export interface Shard {
  index: number;
  count: number;
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
}

const here = dirname(fileURLToPath(import.meta.url));
/** The package root: src/harness from source, dist/src/harness when built. */
const packageRoot = existsSync(join(here, '..', '..', 'package.json')) ? join(here, '..', '..') : join(here, '..', '..', '..');

function packageJson(): { name: string; version: string; dependencies?: Record<string, string> } {
  const file = join(packageRoot, 'package.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  return { name: 'lottery-harness', version: 'unknown' };
}

export function toolInfo(): { tool: { name: string; version: string }; versions: Record<string, string>; git_commit: string | null } {
  const pkg = packageJson();
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    commit = null;
  }
  return { tool: { name: pkg.name, version: pkg.version }, versions: { node: process.version, ...(pkg.dependencies ?? {}) }, git_commit: commit };
}

export function readRunJson(dir: string): RunJson {
  const file = join(dir, 'run.json');
  if (!existsSync(file)) throw errors.runDirMissing(dir);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunJson;
  } catch (e) {
    throw errors.corruptRunJson(dir, (e as Error).message);
  }
}

/** Writes run.json atomically (temp file + rename), so a kill never leaves it torn. */
export function writeRunJson(dir: string, run: RunJson): void {
  const file = join(dir, 'run.json');
  writeFileSync(file + '.tmp', JSON.stringify(run, null, 2) + '\n');
  renameSync(file + '.tmp', file);
}

export interface Prepared {
  /** The previous run.json when resuming or extending, else null. */
  previous: RunJson | null;
}

/**
 * Creates the run directory, or checks that an existing one holds the same
 * configuration (resume) — refusing, with the differing fields named, otherwise.
 */
export function prepareRunDir(dir: string, config: RunConfig, shard: Shard | null, fresh: boolean): Prepared {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw errors.unwritable(dir, 'it is a file');
    const hasRunJson = existsSync(join(dir, 'run.json'));
    const entries = readdirSync(dir);
    if (!hasRunJson && entries.length > 0) throw errors.notRunDir(dir);
    if (hasRunJson && fresh) {
      rmSync(dir, { recursive: true, force: true });
    } else if (hasRunJson) {
      const previous = readRunJson(dir);
      if (previous.config_hash !== configHash(config)) throw errors.otherConfig(dir, configDifferences(previous, config));
      if (JSON.stringify(previous.shard ?? null) !== JSON.stringify(shard)) {
        throw errors.otherConfig(dir, [`shard ${fmtShard(previous.shard)} vs ${fmtShard(shard)}`]);
      }
      previous.trials.forEach((t, j) => {
        if (config.trials[j].seeds < t.seeds) throw errors.fewerSeeds(dir, t.name, t.seeds, config.trials[j].seeds);
      });
      return { previous };
    }
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw errors.unwritable(dir, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  return { previous: null };
}

function fmtShard(shard: Shard | null | undefined): string {
  return shard ? `${shard.index}/${shard.count}` : 'none';
}
