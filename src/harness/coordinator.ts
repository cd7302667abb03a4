import { join } from 'node:path';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { loadTrial, checkRunCells, type Trial } from '../trial/load.js';
import { expandCells, type Cell } from '../trial/expand.js';
import { configHash, trialConfig, type RunConfig } from '../trial/config.js';
import { errors, SeedError, UserError } from '../errors.js';
import { RUN_JSON, type RowMode } from '../run-dir/files.js';
import { writeRunOutputs } from './outputs.js';
import { prepareRunDir, writeRunJson, readRunJson, toolInfo, type RunJson, type Shard } from './rundir.js';
import { Scheduler, type CellWork } from './scheduler.js';
import { Progress, formatDuration } from './progress.js';
import { TrialRun } from './trial-run.js';
import { createPool, watchSignals } from './pool.js';
import { sealTrial, checkSeal } from './seal.js';
import { checkDiskSpace } from './disk-estimate.js';
import { DiskFullError } from './disk.js';
import type { Task, SeedFailure } from './task.js';

export interface RunOptions {
  trialFiles: string[];
  /** Overrides every trial's `seeds`. */
  seeds?: number;
  threads?: number;
  out?: string;
  masterSeed: string;
  shard: Shard | null;
  fresh: boolean;
  quiet: boolean;
  logEvery: number;
  /** Fixed batch size (tests); adaptive when absent. */
  batchSize?: number;
  maxTimeMs?: number;
  /** The command that resumes this run, printed when it stops early. */
  resumeCommand: string;
  /** Stop every cell once decided (anytime-valid confidence sequence), as `"stop": "decided"` does per trial. */
  untilDecided?: boolean;
  /** Adjust the verdicts of all cells together (Holm) or not. */
  familyWise?: 'holm' | 'none';
  /** Per-seed rows for every trial (overrides the trial files; a resume keeps the recorded mode). */
  rows?: RowMode;
}

export interface RunOutcome {
  dir: string;
  status: 'partial' | 'complete';
  /** Why a partial run stopped early. */
  stopReason: 'signal' | 'max-time' | null;
  seedsRun: number;
  elapsedS: number;
}

export interface TrialPlan {
  trial: Trial;
  cells: Cell[];
}

const MAX_ATTEMPTS = 2; // a batch whose worker died is retried once

/** The default run directory: output/<trial name> for one trial, output/run otherwise. */
export function defaultOut(trials: Trial[]): string {
  return join('output', trials.length === 1 ? trials[0].name : 'run');
}

/** Loads, validates and expands the trial files of a run (shared by run and --dry-run). */
export function loadPlans(trialFiles: string[], seeds?: number, untilDecided = false): TrialPlan[] {
  const trials = trialFiles.map(loadTrial);
  if (trials.length === 0) throw errors.noTrials();
  const names = new Set<string>();
  for (const trial of trials) {
    if (names.has(trial.name)) throw errors.duplicateTrial(trial.file, trial.name);
    names.add(trial.name);
    if (seeds !== undefined) trial.seeds = seeds;
    if (untilDecided) trial.stop = 'decided';
  }
  checkRunCells(trials); // before expanding anything
  return trials.map((trial) => ({ trial, cells: expandCells(trial) }));
}

/** Each trial's row mode: the flag, else the trial file, else what a resumed run recorded, else CSV. */
export function rowModes(plans: TrialPlan[], flag: RowMode | undefined, dir: string, fresh: boolean): RowMode[] {
  let recorded: RunJson | null = null;
  if (!flag && !fresh && existsSync(join(dir, RUN_JSON))) {
    try { recorded = readRunJson(dir); } catch { recorded = null; }
  }
  return plans.map(({ trial }) => flag ?? trial.rows ?? recorded?.trials.find((t) => t.name === trial.name)?.rows ?? 'csv');
}

/**
 * `lth run`: prepares (or resumes) the run directory under its lock, spreads batches of
 * seeds over the pool with a bounded number in flight, appends every finished batch's
 * record to its journal and merges its aggregate, checkpoints as it goes, and at the end
 * writes summary.csv (aggregates) and trials.csv (journal rows, sorted) plus run.json.
 */
export async function runTrials(options: RunOptions): Promise<RunOutcome> {
  const plans = loadPlans(options.trialFiles, options.seeds, options.untilDecided);
  const trials = plans.map((p) => p.trial);
  if (options.shard && trials.some((t) => t.stop === 'decided')) throw errors.decidedWithShard();
  const familyWise = options.familyWise ?? 'none';
  const dir = options.out ?? defaultOut(trials);
  const modes = rowModes(plans, options.rows, dir, options.fresh);
  const config: RunConfig = { master_seed: options.masterSeed, trials: plans.map((p, j) => trialConfig(p.trial, p.cells, modes[j])) };
  checkDiskSpace(dir, plans, modes, options.shard);
  const { previous, release } = prepareRunDir(dir, config, options.shard, options.fresh);
  try {
    return await runPrepared(options, plans, modes, config, dir, previous, familyWise);
  } finally {
    release();
  }
}

async function runPrepared(options: RunOptions, plans: TrialPlan[], modes: RowMode[], config: RunConfig, dir: string,
  previous: RunJson | null, familyWise: 'holm' | 'none'): Promise<RunOutcome> {
  const shard = options.shard ?? { index: 0, count: 1 };
  const diskLimit = process.env.LTH_TEST_DISK_LIMIT ? Number(process.env.LTH_TEST_DISK_LIMIT) : undefined;
  const trialRuns = plans.map((plan, t) => new TrialRun({
    index: t, name: plan.trial.name, experiment: plan.trial.experiment, cells: plan.cells, seeds: plan.trial.seeds,
    confidence: plan.trial.confidence, stop: plan.trial.stop, rows: modes[t],
  }, dir, options.masterSeed, shard, diskLimit));
  // a completed run's files are checked before anything reads them (issue 15: a changed journal is refused)
  if (previous?.status === 'complete' && previous.seals) for (const t of trialRuns) checkSeal(t, previous.seals[t.setup.name]);
  for (const t of trialRuns) {
    mkdirSync(t.dir, { recursive: true });
    t.open();
  }
  const threads = options.threads ?? availableParallelism();
  const run: RunJson = {
    ...toolInfo(),
    config_hash: configHash(config),
    ...config,
    shard: options.shard,
    started: previous?.started ?? new Date().toISOString(),
    ended: null,
    threads,
    elapsed_s: previous?.elapsed_s ?? 0,
    seeds_run: previous?.seeds_run ?? 0,
    seeds_per_s: null,
    status: 'running',
    family_wise: familyWise,
  };
  writeRunJson(dir, run);

  const work: CellWork[] = trialRuns.flatMap((t) => t.work);
  let total = 0, alreadyDone = 0;
  for (const w of work) {
    total += w.positions;
    alreadyDone += w.done.size;
  }
  const nothingNew = alreadyDone === total;
  const progress = new Progress({
    quiet: options.quiet, logEvery: options.logEvery, total, alreadyDone, threads,
    cells: work.map((w) => ({ trial: w.trial, remaining: w.positions - w.done.size })),
  });
  const index = new Map(work.map((w, i) => [w, i]));
  const scheduler = new Scheduler(work, options.batchSize, (w, skipped) => progress.shrink(skipped, index.get(w)));
  const startedMs = Date.now();
  const loop = await runLoop(options, trialRuns, scheduler, progress, threads, startedMs);
  const elapsedS = (Date.now() - startedMs) / 1000;

  run.elapsed_s = Math.round((run.elapsed_s + elapsedS) * 1000) / 1000;
  run.seeds_run += loop.seedsRun;
  run.seeds_per_s = elapsedS > 0 ? Math.round(loop.seedsRun / elapsedS) : null;
  run.ended = new Date().toISOString();
  const status = loop.stopReason === null ? 'complete' : 'partial';
  try {
    for (const t of trialRuns) t.maybeCheckpoint(true);
    await testEndDelay(trialRuns);
    // a completed run whose rows file is as it was sealed is not rewritten (re-running a finished run is cheap)
    const unchanged = nothingNew && previous?.status === 'complete' && trialRuns.every((t) => previous.seals?.[t.setup.name]?.rows_file_bytes === t.rowsFileBytes());
    writeRunOutputs(trialRuns, familyWise, unchanged);
    run.status = status;
    if (status === 'complete') run.seals = Object.fromEntries(trialRuns.map((t) => [t.setup.name, sealTrial(t)]));
    else delete run.seals;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    loop.userError ??= e;
    run.status = 'partial';
  } finally {
    for (const t of trialRuns) t.journal.close();
  }
  try {
    writeRunJson(dir, run);
  } catch (e) {
    if (!loop.userError) throw e; // a full disk: run.json may stay "running"; resume does not depend on it
  }
  if (loop.failure) {
    loop.failure.runDir = dir;
    throw loop.failure;
  }
  if (loop.userError) throw loop.userError;
  if (!options.quiet) {
    process.stderr.write(`[lth] ${run.status}: ${loop.seedsRun} seeds in ${formatDuration(elapsedS)} (${Math.round(loop.seedsRun / Math.max(elapsedS, 1e-9))} seeds/s) -> ${dir}\n`);
  }
  // even with --quiet: a stopped run must say how to continue it
  if (run.status === 'partial') process.stderr.write(`[lth] resume with: ${options.resumeCommand}\n`);
  const reason = loop.stopReason;
  return { dir, status: run.status as 'partial' | 'complete', seedsRun: loop.seedsRun, elapsedS, stopReason: reason === 'signal' || reason === 'max-time' ? reason : null };
}

interface LoopResult {
  seedsRun: number;
  stopReason: 'signal' | 'max-time' | 'error' | null;
  failure: SeedError | null;
  userError: UserError | null;
}

/** The pool loop: bounded in-flight batches, journal appends, retries, checkpoints, signals and the deadline. */
async function runLoop(options: RunOptions, trialRuns: TrialRun[], scheduler: Scheduler, progress: Progress, threads: number, startedMs: number): Promise<LoopResult> {
  const result: LoopResult = { seedsRun: 0, stopReason: null, failure: null, userError: null };
  const cellIndex = new Map(trialRuns.flatMap((t) => t.work).map((w, i) => [w, i])); // the progress's cost model counts cells in this order
  const deadline = options.maxTimeMs !== undefined ? startedMs + options.maxTimeMs : Infinity;
  const pool = createPool(threads);
  const unwatch = watchSignals(options.quiet, () => { result.stopReason ??= 'signal'; });

  const stopWith = (reason: 'error', failure: SeedError | null, userError: UserError | null) => {
    result.stopReason = reason;
    result.failure ??= failure;
    if (!result.failure) result.userError ??= userError;
  };

  const runTask = async (task: Task, cellWork: CellWork, attempt: number): Promise<void> => {
    let record;
    try {
      record = await pool.run(task);
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      const seedFailure = parseSeedFailure(message);
      if (seedFailure) {
        stopWith('error', new SeedError(cellWork.trialName, cellWork.cell, seedFailure.seed, seedFailure.message, seedFailure.stack), null);
      } else if (attempt < MAX_ATTEMPTS) {
        // the worker died (out of memory, process.exit): piscina replaces it. Retry the batch once,
        // seed by seed, so a second death names the seed that causes it.
        for (let j = 0; j < task.count; j++) {
          if (result.failure || result.userError) break;
          await runTask({ ...task, firstPos: task.firstPos + j, count: 1 }, cellWork, attempt + 1);
        }
      } else {
        stopWith('error', new SeedError(cellWork.trialName, cellWork.cell, task.shard + task.firstPos * task.stride,
          `the worker died twice on this seed (${message.split('\n')[0]})`), null);
      }
      return;
    }
    if (result.userError) return; // the disk filled up: nothing more is appended
    const trial = trialRuns[cellWork.trial];
    try {
      trial.append(record.record);
      trial.maybeCheckpoint();
    } catch (e) {
      if (e instanceof DiskFullError) { stopWith('error', null, e); return; }
      throw e;
    }
    result.seedsRun += task.count;
    scheduler.observe(cellWork, task.count, record.elapsedMs);
    progress.add(task.count, `${cellWork.trialName} cell ${cellWork.cell}`, cellIndex.get(cellWork), record.elapsedMs);
  };

  const inFlight = new Set<Promise<void>>();
  const maxInFlight = threads * 2;
  try {
    for (;;) {
      if (result.stopReason !== null) break;
      if (Date.now() >= deadline) {
        result.stopReason = 'max-time';
        break;
      }
      const next = scheduler.next();
      if (next === null) {
        // early-stopped cells may be waiting for in-flight seeds to complete their prefix
        if (inFlight.size === 0 || !scheduler.pending) break;
        await Promise.race(inFlight);
        continue;
      }
      const promise: Promise<void> = runTask(next.task, next.work, 1).finally(() => inFlight.delete(promise));
      inFlight.add(promise);
      if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    unwatch();
    progress.stop();
    await pool.destroy();
  }
  return result;
}

/** Test hook (LTH_TEST_END_DELAY_MS): a window between the last checkpoint and the outputs, marked by a file, to kill the run in. */
async function testEndDelay(trialRuns: TrialRun[]): Promise<void> {
  const ms = Number(process.env.LTH_TEST_END_DELAY_MS ?? 0);
  if (!(ms > 0) || trialRuns.length === 0) return;
  writeFileSync(join(trialRuns[0].dir, 'end-delay'), '');
  await new Promise((r) => setTimeout(r, ms));
}

function parseSeedFailure(message: string): SeedFailure | null {
  const start = message.indexOf('{"lth":"seed-failure"');
  if (start < 0) return null;
  try {
    return JSON.parse(message.slice(start)) as SeedFailure;
  } catch {
    return null;
  }
}
