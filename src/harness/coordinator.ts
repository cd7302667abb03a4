import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { loadTrial, type Trial } from '../trial/load.js';
import { expandCells, type Cell } from '../trial/expand.js';
import { configHash, trialConfig, type RunConfig } from '../trial/config.js';
import { cellSeed } from '../rng/streams.js';
import { errors, SeedError } from '../errors.js';
import { Journal } from './journal.js';
import { journalHeader, writeRunOutputs } from './outputs.js';
import { prepareRunDir, writeRunJson, toolInfo, type RunJson, type Shard } from './rundir.js';
import { Scheduler, markDone, remaining, stopState, type CellWork } from './scheduler.js';
import { Progress, formatDuration } from './progress.js';
import type { Task, TaskResult, SeedFailure } from './task.js';

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
  dir: string;
  journal: Journal | null;
}

const MAX_ATTEMPTS = 2; // a batch whose worker died is retried once

/** The default run directory: output/<trial name> for one trial, output/run otherwise. */
export function defaultOut(trials: Trial[]): string {
  return join('output', trials.length === 1 ? trials[0].name : 'run');
}

/**
 * `lth run`: loads and expands the trials, prepares (or resumes) the run directory,
 * spreads batches of seeds over a piscina pool with a bounded number in flight,
 * journals every finished batch, and at the end writes trials.csv / summary.csv
 * sorted by (cell, seed) plus run.json.
 */
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
  return trials.map((trial) => ({ trial, cells: expandCells(trial), dir: '', journal: null }));
}

export async function runTrials(options: RunOptions): Promise<RunOutcome> {
  const plans = loadPlans(options.trialFiles, options.seeds, options.untilDecided);
  const trials = plans.map((p) => p.trial);
  if (options.shard && trials.some((t) => t.stop === 'decided')) throw errors.decidedWithShard();
  const familyWise = options.familyWise ?? 'none';
  const config: RunConfig = { master_seed: options.masterSeed, trials: plans.map((p) => trialConfig(p.trial, p.cells)) };
  const dir = options.out ?? defaultOut(trials);
  const { previous } = prepareRunDir(dir, config, options.shard, options.fresh);
  const threads = options.threads ?? availableParallelism();
  const started = new Date();
  const run: RunJson = {
    ...toolInfo(),
    config_hash: configHash(config),
    ...config,
    shard: options.shard,
    started: previous?.started ?? started.toISOString(),
    ended: null,
    threads,
    elapsed_s: previous?.elapsed_s ?? 0,
    seeds_run: previous?.seeds_run ?? 0,
    seeds_per_s: null,
    status: 'running',
    family_wise: familyWise,
  };
  writeRunJson(dir, run);

  const shard = options.shard ?? { index: 0, count: 1 };
  const work: CellWork[] = [];
  const successFields: number[] = [];
  let alreadyDone = 0, total = 0;
  plans.forEach((plan, t) => {
    plan.dir = join(dir, plan.trial.name);
    mkdirSync(plan.dir, { recursive: true });
    const { experiment, seeds } = plan.trial;
    const successField = 3 + experiment.columns.findIndex((c) => c.name === 'success');
    const cellWork = plan.cells.map((cell): CellWork => {
      const [cellHi, cellLo] = cellSeed(options.masterSeed, experiment.name, cell.structuralKey);
      return {
        trial: t, trialName: plan.trial.name, experiment, cell: cell.index, params: cell.params, cellHi, cellLo,
        seeds, first: shard.index, stride: shard.count, done: new Uint8Array(Math.ceil(seeds / 8)), cursor: shard.index,
        stop: plan.trial.stop === 'decided' ? stopState(seeds, 1 - (cell.params.delta as number), plan.trial.confidence) : null,
        finished: false,
      };
    });
    successFields.push(successField);
    plan.journal = Journal.open(join(plan.dir, 'journal.csv'), journalHeader(experiment), plan.cells.length,
      experiment.columns.length, (cell, seed, line) => markDone(cellWork[cell], seed, field(line, successField) === '1'));
    for (const w of cellWork) {
      const left = remaining(w);
      const inShard = Math.max(0, Math.ceil((w.seeds - w.first) / w.stride));
      alreadyDone += inShard - left;
      total += inShard;
    }
    work.push(...cellWork);
  });

  const progress = new Progress({ quiet: options.quiet, logEvery: options.logEvery, total, alreadyDone });
  const scheduler = new Scheduler(work, options.batchSize, (_, skipped) => progress.shrink(skipped));
  const isSource = import.meta.url.endsWith('.ts');
  const pool = new Piscina<Task, TaskResult>({
    filename: new URL(isSource ? './worker.ts' : './worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    // one task a worker: a worker that dies (OOM, process.exit) then takes down only its own batch,
    // so the seed-by-seed retry blames the right seed (two queued tasks per worker gained < 2%)
    concurrentTasksPerWorker: 1,
    execArgv: isSource ? [...process.execArgv, '--import', 'tsx'] : undefined,
    // a worker over this heap dies with ERR_WORKER_OUT_OF_MEMORY, is replaced, and its batch retried once
    resourceLimits: process.env.LTH_WORKER_HEAP_MB ? { maxOldGenerationSizeMb: Number(process.env.LTH_WORKER_HEAP_MB) } : undefined,
  });

  let stopReason: 'signal' | 'max-time' | 'error' | null = null;
  const failed: { error: SeedError | null } = { error: null };
  let seedsRun = 0;
  const startedMs = Date.now();
  const deadline = options.maxTimeMs !== undefined ? startedMs + options.maxTimeMs : Infinity;
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(130); // the journal holds only complete batches: still valid
    if (stopReason === null) stopReason = 'signal';
    if (!options.quiet) process.stderr.write('\n[lth] stopping: finishing in-flight batches (press Ctrl-C again to exit at once)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const runTask = async (task: Task, cellWork: CellWork, attempt: number): Promise<void> => {
    try {
      const result = await pool.run(task);
      plans[cellWork.trial].journal!.append(result.lines);
      if (cellWork.stop) {
        const lines = result.lines.split('\n');
        task.seeds.forEach((seed, j) => markDone(cellWork, seed, field(lines[j], successFields[cellWork.trial]) === '1'));
      } else {
        for (const seed of task.seeds) markDone(cellWork, seed, false);
      }
      seedsRun += task.seeds.length;
      scheduler.observe(cellWork, task.seeds.length, result.elapsedMs);
      progress.add(task.seeds.length, `${cellWork.trialName} cell ${cellWork.cell}`);
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      const seedFailure = parseSeedFailure(message);
      if (seedFailure) {
        failed.error ??= new SeedError(cellWork.trialName, cellWork.cell, seedFailure.seed, seedFailure.message, seedFailure.stack);
        stopReason = 'error';
      } else if (attempt < MAX_ATTEMPTS) {
        // the worker died (out of memory, process.exit): piscina replaces it. Retry the batch once,
        // seed by seed, so a second death names the seed that causes it.
        for (const seed of task.seeds) {
          if (failed.error) break;
          await runTask({ ...task, seeds: [seed] }, cellWork, attempt + 1);
        }
      } else {
        failed.error ??= new SeedError(cellWork.trialName, cellWork.cell, task.seeds[0],
          `the worker died twice on this seed (${message.split('\n')[0]})`);
        stopReason = 'error';
      }
    }
  };

  const inFlight = new Set<Promise<void>>();
  const maxInFlight = threads * 2;
  try {
    for (;;) {
      if (stopReason !== null) break;
      if (Date.now() >= deadline) {
        stopReason = 'max-time';
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
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.stop();
    await pool.destroy();
    for (const plan of plans) plan.journal?.close();
  }

  writeRunOutputs(plans.map((p) => ({
    trialDir: p.dir, experiment: p.trial.experiment, cells: p.cells, confidence: p.trial.confidence, stop: p.trial.stop, seeds: p.trial.seeds,
  })), familyWise);
  const elapsedS = (Date.now() - startedMs) / 1000;
  const status = stopReason === null ? 'complete' : 'partial';
  run.status = status;
  run.ended = new Date().toISOString();
  run.elapsed_s = Math.round((run.elapsed_s + elapsedS) * 1000) / 1000;
  run.seeds_run += seedsRun;
  run.seeds_per_s = elapsedS > 0 ? Math.round(seedsRun / elapsedS) : null;
  writeRunJson(dir, run);
  if (failed.error) {
    failed.error.runDir = dir;
    throw failed.error;
  }
  if (!options.quiet) {
    process.stderr.write(`[lth] ${status}: ${seedsRun} seeds in ${formatDuration(elapsedS)} (${Math.round(seedsRun / Math.max(elapsedS, 1e-9))} seeds/s) -> ${dir}\n`);
  }
  // even with --quiet: a stopped run must say how to continue it
  if (status === 'partial') process.stderr.write(`[lth] resume with: ${options.resumeCommand}\n`);
  const finalReason = stopReason as 'signal' | 'max-time' | 'error' | null;
  return { dir, status, seedsRun, elapsedS, stopReason: finalReason === 'error' ? null : finalReason };
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

/** Field `index` (0-based) of a CSV line without quoted fields (journal lines). */
function field(line: string, index: number): string {
  let start = 0;
  for (let f = 0; f < index; f++) start = line.indexOf(',', start) + 1;
  const end = line.indexOf(',', start);
  return end < 0 ? line.slice(start) : line.slice(start, end);
}
