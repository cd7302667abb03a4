import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { errors } from '../errors.js';
import { RUN_JSON, LOCK } from '../run-dir/files.js';
import { acquireLock } from './lock.js';
import { configHash, configDifferences, type RunConfig } from '../trial/config.js';

export type { Shard, RunJson } from '../run-dir/run-json.js';
export { readRunJson, writeRunJson } from '../run-dir/run-json.js';
import type { Shard, RunJson } from '../run-dir/run-json.js';
import { readRunJson } from '../run-dir/run-json.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The package root: src/harness from source, dist/src/harness when built. */
const packageRoot = existsSync(join(here, '..', '..', 'package.json')) ? join(here, '..', '..') : join(here, '..', '..', '..');

function packageJson(): { name: string; version: string; dependencies?: Record<string, string> } {
  const file = join(packageRoot, 'package.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  return { name: 'lottery-harness', version: 'unknown' };
}

/**
 * HEAD's commit read from .git directly (a `git` process costs ≈ 0.1–0.4 s of every command):
 * a detached hash, a loose ref, or a packed ref; null when it is anything else.
 */
function headFromGitDir(): string | null {
  try {
    const git = join(packageRoot, '.git');
    if (!statSync(git).isDirectory()) return null; // a worktree's .git file: ask git
    const head = readFileSync(join(git, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref: (refs\/[\w./-]+)$/.exec(head)?.[1];
    if (!ref) return null;
    if (existsSync(join(git, ref))) {
      const hash = readFileSync(join(git, ref), 'utf8').trim();
      return /^[0-9a-f]{40}$/.test(hash) ? hash : null;
    }
    const packed = existsSync(join(git, 'packed-refs')) ? readFileSync(join(git, 'packed-refs'), 'utf8') : '';
    for (const line of packed.split('\n')) if (line.endsWith(' ' + ref) && /^[0-9a-f]{40} /.test(line)) return line.slice(0, 40);
    return null;
  } catch {
    return null;
  }
}

export function toolInfo(): { tool: { name: string; version: string }; versions: Record<string, string>; git_commit: string | null } {
  const pkg = packageJson();
  let commit = headFromGitDir();
  if (commit === null) {
    try {
      commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
    } catch {
      commit = null;
    }
  }
  return { tool: { name: pkg.name, version: pkg.version }, versions: { node: process.version, ...(pkg.dependencies ?? {}) }, git_commit: commit };
}

export interface Prepared {
  /** The previous run.json when resuming or extending, else null. */
  previous: RunJson | null;
  /** Releases the run directory's lock (also released on exit). */
  release: () => void;
}

/**
 * Creates the run directory and takes its lock, or — for an existing one — takes its lock
 * first (a live run there is refused, naming it), then checks that it holds the same
 * configuration (resume), refusing with the differing fields named otherwise. `fresh`
 * empties it under the lock.
 */
export function prepareRunDir(dir: string, config: RunConfig, shard: Shard | null, fresh: boolean): Prepared {
  let existed = false;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw errors.unwritable(dir, 'it is a file');
    const hasRunJson = existsSync(join(dir, RUN_JSON));
    const entries = readdirSync(dir).filter((e) => e !== LOCK);
    if (!hasRunJson && entries.length > 0) throw errors.notRunDir(dir);
    existed = hasRunJson;
  } else {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw errors.unwritable(dir, (e as NodeJS.ErrnoException).code ?? String(e));
    }
  }
  const release = acquireLock(dir);
  try {
    if (existed && fresh) {
      for (const entry of readdirSync(dir)) if (entry !== LOCK) rmSync(join(dir, entry), { recursive: true, force: true });
    } else if (existed) {
      const previous = readRunJson(dir);
      if (previous.config_hash !== configHash(config)) throw errors.otherConfig(dir, configDifferences(previous, config));
      if (JSON.stringify(previous.shard ?? null) !== JSON.stringify(shard)) {
        throw errors.otherConfig(dir, [`shard ${fmtShard(previous.shard)} vs ${fmtShard(shard)}`]);
      }
      previous.trials.forEach((t, j) => {
        if (config.trials[j].seeds < t.seeds) throw errors.fewerSeeds(dir, t.name, t.seeds, config.trials[j].seeds);
      });
      return { previous, release };
    }
  } catch (e) {
    release();
    throw e;
  }
  return { previous: null, release };
}

function fmtShard(shard: Shard | null | undefined): string {
  return shard ? `${shard.index}/${shard.count}` : 'none';
}
