#!/usr/bin/env node
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { loadRun } from '../report/load-run.js';
import { dryRun } from '../harness/dry-run.js';
import { formatDuration } from '../harness/progress.js';
import { buildAtlas, ATLAS_FILES } from './build.js';

/**
 * `npm run atlas [-- --quick] [--check] [--dry-run] [--fresh] [--threads N]` (issue 16): runs the
 * atlas's trials into output/atlas/ (or output/atlas-quick/), resuming an interrupted run,
 * and writes the results into the repository's atlas/ (or atlas/quick/). `--check` writes
 * into a temporary directory instead and fails unless every file equals the committed one
 * byte for byte (CI runs it on the quick atlas).
 */
const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

export interface AtlasPaths {
  trials: string[];
  out: string;
  atlas: string;
  command: string;
}

export function atlasPaths(quick: boolean, root = process.cwd()): AtlasPaths {
  const dir = join(root, 'trials', 'atlas', ...(quick ? ['quick'] : []));
  const trials = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => relative(root, join(dir, f)));
  return {
    trials,
    out: join('output', quick ? 'atlas-quick' : 'atlas'),
    atlas: quick ? join('atlas', 'quick') : 'atlas',
    command: quick ? 'npm run atlas -- --quick' : 'npm run atlas',
  };
}

/** The last commit that changed code or trials, or null outside a git checkout. */
export function codeCommit(root = process.cwd()): string | null {
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%H', '--', 'src', 'trials', 'package-lock.json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out || null;
  } catch {
    return null;
  }
}

/** A shallow clone (CI may clone with --depth 1) cannot name the last commit that changed code: git log sees a truncated history. */
function shallowClone(root = process.cwd()): boolean {
  try {
    return execFileSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'true';
  } catch {
    return false;
  }
}

/** The code commit a committed atlas's command.txt names, or null. */
function recordedCommit(atlas: string): string | null {
  try {
    return /^code and trials: ([0-9a-f]{40}|unknown) /m.exec(readFileSync(join(atlas, 'command.txt'), 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

function descriptions(trials: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of trials) {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; description?: string };
    if (json.name && json.description) out[json.name] = json.description;
  }
  return out;
}

/** Every file under `dir`, relative to it, sorted. */
function files(dir: string, skip: string[] = []): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const path = join(sub, name);
      if (skip.includes(path)) continue;
      if (statSync(join(dir, path)).isDirectory()) walk(path); else out.push(path);
    }
  };
  walk('');
  return out;
}

/** Files that differ between the committed atlas and a regenerated one (only the atlas's own files are compared). */
export function compareAtlas(committed: string, fresh: string): string[] {
  const owned = (f: string) => ATLAS_FILES.includes(f.split('/')[0]);
  const a = files(committed).filter(owned), b = files(fresh).filter(owned);
  const diffs: string[] = [];
  for (const f of new Set([...a, ...b])) {
    if (!a.includes(f)) diffs.push(`${f}: not committed`);
    else if (!b.includes(f)) diffs.push(`${f}: committed but not regenerated`);
    else if (!readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f)))) diffs.push(`${f}: differs`);
  }
  return diffs.sort();
}

async function main(): Promise<void> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('npm run atlas --')
    .usage('$0 [--quick] [--check] [--dry-run] [--fresh] [--threads N]\n\nRuns the atlas (trials/atlas/) and writes its results into atlas/ (README.md, "The atlas").')
    .option('quick', { type: 'boolean', default: false, describe: 'the quick atlas (trials/atlas/quick/ → atlas/quick/; a few minutes)' })
    .option('check', { type: 'boolean', default: false, describe: 'regenerate into a temporary directory and fail unless it equals the committed atlas byte for byte' })
    .option('dry-run', { type: 'boolean', default: false, describe: "state the quick and the full atlas's cells, seeds and estimated times; run nothing" })
    .option('fresh', { type: 'boolean', default: false, describe: 'delete output/atlas*/ first (after the trials changed: the old run holds another configuration)' })
    .option('threads', { type: 'string', describe: 'worker threads (default: all cores; the results do not depend on it)' })
    .strict()
    .fail((message, error) => {
      // one line, exit 2, like lth's own flags
      process.stderr.write(`atlas: ${error ? error.message : message.split('\n')[0]} (allowed: --quick, --check, --dry-run, --fresh, --threads N)\n`);
      process.exit(2);
    })
    .help()
    .parse();
  if (argv['dry-run']) {
    for (const quick of [true, false]) {
      const paths = atlasPaths(quick);
      const text = dryRun({ trialFiles: paths.trials, out: paths.out, masterSeed: '1', threads: argv.threads ? Number(argv.threads) : undefined, rows: undefined, untilDecided: false, shard: null, seeds: undefined });
      const total = text.split('\n').filter((l) => /^(total|disk):/.test(l));
      process.stdout.write(`${quick ? 'quick' : 'full'} atlas (${paths.trials.length} trials → ${paths.out}, ${paths.atlas}/; budget ${quick ? '5 minutes' : '2 hours'} on 2 cores):\n  ${total.join('\n  ')}\n`);
    }
    process.stdout.write('Estimates calibrate a few seeds per cell in one process: cells run until decided usually stop long before their seed cap, so the full estimate is an upper bound. Measured on these 2-core machines (bench/RESULTS.md 0c): quick ≈ 1–1.5 min, full ≈ 40 min.\n');
    return;
  }
  const paths = atlasPaths(argv.quick);
  const started = Date.now();
  const args = [CLI, 'run', ...paths.trials, '--out', paths.out, ...(argv.threads ? ['--threads', argv.threads] : []), ...(argv.fresh ? ['--fresh'] : [])];
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status !== 0) {
    // exit 2 is a refusal lth has named in one line (a changed trials/atlas/ says "--fresh", which the atlas takes too)
    if (run.status !== 2) process.stderr.write(`atlas: lth run stopped (exit ${run.status ?? run.signal}): run the same command again to resume\n`);
    process.exit(run.status ?? 1);
  }
  const loaded = loadRun(paths.out);
  let commit = codeCommit();
  if (argv.check && shallowClone()) {
    // everything else is still compared byte for byte; only the commit line is taken as committed
    commit = recordedCommit(paths.atlas) ?? commit;
    process.stderr.write(`atlas: shallow clone: the last code commit cannot be recomputed here; command.txt's (${commit ?? 'none'}) is taken as is\n`);
  }
  const meta = { command: paths.command, commit: commit === 'unknown' ? null : commit, quick: argv.quick, descriptions: descriptions(paths.trials) };
  const target = argv.check ? mkdtempSync(join(tmpdir(), 'lth-atlas-')) : paths.atlas;
  mkdirSync(target, { recursive: true });
  await buildAtlas(loaded, target, meta);
  const seconds = (Date.now() - started) / 1000;
  // wall time and threads belong to this machine: output/, never atlas/
  writeFileSync(join(paths.out, 'atlas-time.txt'), `${paths.command}: ${seconds.toFixed(1)} s wall (this invocation, run + atlas), ${loaded.run.threads} thread(s), ${new Date().toISOString()}\n`);
  if (argv.check) {
    const diffs = compareAtlas(paths.atlas, target);
    rmSync(target, { recursive: true, force: true });
    if (diffs.length) {
      process.stderr.write(`atlas: ${paths.atlas}/ does not reproduce (${diffs.length} file(s)): ${diffs.slice(0, 8).join('; ')}${diffs.length > 8 ? '; …' : ''}\n` +
        `  regenerate with \`${paths.command}\` and commit ${paths.atlas}/ (after the code change is committed: command.txt names the last code commit)\n`);
      process.exit(1);
    }
    process.stdout.write(`atlas: ${paths.atlas}/ reproduces byte for byte (${files(paths.atlas).length} files, ${formatDuration(seconds)})\n`);
    return;
  }
  process.stdout.write(`atlas: ${paths.atlas}/report.md written (${formatDuration(seconds)}; ${paths.out}/atlas-time.txt)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`atlas: ${(e as Error).message}\n`);
    process.exit(2);
  });
}
