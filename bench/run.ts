/**
 * `npm run bench`: throughput of the weight-lemma path (DESIGN.md "Performance principles").
 *
 *   a) kernels (tinybench): skipPair, scanPair, seed derivation, and a whole weight-lemma
 *      seed through runSeeds in batches of 1000 seeds, across k (cost should be flat in k)
 *      and ε;
 *   b) pool throughput: weight-lemma end to end through runTrials with 1 and 2 threads
 *      (goal: 2 threads ≥ 1.85× one);
 *   c) the numpy baseline (bench/numpy/weight_lemma.py) at k = 100, 1000, 10000, and
 *      ours / numpy at k = 1000 (goal ≥ 2× per core).
 *
 * Flags: --quick (a few seconds in all, for smoke tests), --json FILE (write every figure),
 *        --skip-pool, --skip-numpy.
 */
import { mkdtempSync, writeFileSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, availableParallelism, cpus } from 'node:os';
import { spawnSync } from 'node:child_process';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Bench, type Task as BenchTask } from 'tinybench';
import { runSeeds } from '../src/harness/run-seeds.js';
import { runTrials } from '../src/harness/coordinator.js';
import { loadTrial } from '../src/trial/load.js';
import { expandCells } from '../src/trial/expand.js';
import { experiments } from '../src/experiments/index.js';
import { Streams, cellSeed } from '../src/rng/streams.js';
import { Rng } from '../src/rng/rng.js';
import { PairDraw, skipPair, scanPair } from '../src/pruning/pair-rule.js';
import { lemmaSuccessProbability } from '../src/pruning/pair-rule-theory.js';
import type { Task } from '../src/harness/task.js';
import { table, load, cpuWindow, type CpuWindow } from './common.js';

// ---------------------------------------------------------------------------------------
// options

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const skipPool = argv.includes('--skip-pool');
const skipNumpy = argv.includes('--skip-numpy');
const jsonIndex = argv.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? argv[jsonIndex + 1] : undefined;
for (const a of argv) {
  if (a.startsWith('--') && !['--quick', '--skip-pool', '--skip-numpy', '--json'].includes(a)) {
    process.stderr.write(`bench: unknown flag ${a} (allowed: --quick, --json FILE, --skip-pool, --skip-numpy)\n`);
    process.exit(2);
  }
}

// the repo root: the working directory under `npm run bench`; else dist/bench/run.js -> ../..
const ROOT = existsSync(join(process.cwd(), 'bench', 'numpy', 'weight_lemma.py'))
  ? process.cwd()
  : fileURLToPath(new URL('../..', import.meta.url));
const NUMPY_SCRIPT = join(ROOT, 'bench', 'numpy', 'weight_lemma.py');

/** The cell every end-to-end figure uses (pool and numpy): w uniform, ε = 0.1, k = 1000. */
const CELL = { w: 'uniform' as const, epsilon: 0.1, k: 1000, delta: 0.05 };

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  quick,
  node: process.version,
  cpus: availableParallelism(),
  cpu_model: cpus()[0]?.model ?? 'unknown',
};

let sink = 0; // keeps results of benchmarked calls alive

// ---------------------------------------------------------------------------------------
// formatting

function fmtNs(ns: number): string {
  if (ns >= 1e6) return (ns / 1e6).toFixed(2) + ' ms';
  if (ns >= 1e4) return (ns / 1e3).toFixed(1) + ' µs';
  return ns.toFixed(ns < 100 ? 1 : 0) + ' ns';
}

function fmtRate(perS: number): string {
  if (perS >= 1e6) return (perS / 1e6).toFixed(2) + ' M/s';
  if (perS >= 1e3) return (perS / 1e3).toFixed(1) + ' k/s';
  return perS.toFixed(1) + ' /s';
}


/**
 * Disturbance meter: CPU time the whole machine spent busy (/proc/stat) minus the CPU
 * time of this process (all its threads, pool workers included) and of the measured
 * child (numpy: assumed to use one core while it runs), over a measurement. The other
 * engineer's tests show up here. Linux only; elsewhere `other_cpu_s` is null.
 */


/** Another process used more than a quarter of a core on average: repeat the measurement. */
function disturbed(w: CpuWindow): boolean {
  return w.other_cpu_s !== null && w.other_cpu_s > 0.25 * w.wall_s;
}

function fmtOther(w: CpuWindow): string {
  return w.other_cpu_s === null ? 'other CPU n/a' : `other CPU ${w.other_cpu_s.toFixed(2)} s${disturbed(w) ? ' DISTURBED' : ''}`;
}

// ---------------------------------------------------------------------------------------
// a) kernels and whole seeds (tinybench)

interface KernelFigure {
  name: string;
  /** Operations per tinybench iteration (the inner loop), so ns/op = latency / inner. */
  inner: number;
  unit: string;
  ns_per_op: number;
  ops_per_s: number;
  rme_percent: number;
  samples: number;
  other_cpu_s?: number | null;
  disturbed?: boolean;
  attempts?: number;
}

function note(f: KernelFigure): string {
  if (f.disturbed) return `DISTURBED (other CPU ${f.other_cpu_s?.toFixed(2)} s)`;
  return f.attempts !== undefined && f.attempts > 1 ? `clean on attempt ${f.attempts}` : '';
}

function figure(task: BenchTask, inner: number, unit: string): KernelFigure {
  const r = task.result;
  if (r.state !== 'completed') throw new Error(`bench task ${task.name} did not complete (state ${r.state})`);
  const nsPerOp = (r.latency.mean * 1e6) / inner;
  return {
    name: task.name,
    inner,
    unit,
    ns_per_op: nsPerOp,
    ops_per_s: 1e9 / nsPerOp,
    rme_percent: r.latency.rme,
    samples: r.latency.samplesCount,
  };
}

async function kernels(): Promise<{ kernels: KernelFigure[]; seeds: (KernelFigure & { k: number; epsilon: number })[]; window: CpuWindow }> {
  const bench = new Bench({
    time: quick ? 60 : 1000,
    warmupTime: quick ? 20 : 250,
    iterations: quick ? 5 : 20,
    warmupIterations: quick ? 2 : 16,
    throws: true,
  });
  const [cellHi, cellLo] = cellSeed('1', 'weight-lemma', 'bench');
  const draw = new PairDraw();
  const inner: Record<string, [number, string]> = {};
  const add = (name: string, n: number, unit: string, fn: () => void) => {
    inner[name] = [n, unit];
    bench.add(name, fn);
  };

  // skipPair: fresh generator state every call (one generator, advancing)
  const rngA = new Rng(0x12345678, 0x9abcdef0);
  add('skipPair w=0.5 ε=0.1', 1000, 'call', () => {
    for (let i = 0; i < 1000; i++) sink += skipPair(rngA, 0.5, 0.1, draw).criticalWidth;
  });
  const rngB = new Rng(0x0badf00d, 0x5eed5eed);
  add('skipPair w=0.5 ε=1e-6', 1000, 'call', () => {
    for (let i = 0; i < 1000; i++) sink += skipPair(rngB, 0.5, 1e-6, draw).criticalWidth;
  });
  const rngC = new Rng(0x31415926, 0x27182818);
  add('scanPair k=1000 w=0.5 ε=0.01', 20, 'call', () => {
    for (let i = 0; i < 20; i++) sink += scanPair(rngC, 0.5, 0.01, 1000, draw).sampledUnits;
  });
  let seedIndex = 0;
  add('Streams.forSeed + get("block")', 1000, 'call', () => {
    for (let i = 0; i < 1000; i++) sink += Streams.forSeed(cellHi, cellLo, seedIndex++).get('block').nextU32();
  });
  // diagnostics: the two parts of runSeeds that are not the experiment itself
  add('Streams.hex (seed_hex column)', 1000, 'call', () => {
    for (let i = 0; i < 1000; i++) sink += Streams.forSeed(cellHi, cellLo, seedIndex++).hex.length;
  });
  const experiment = experiments['weight-lemma'];
  const params1000 = experiment.resolve({ w: 'uniform', epsilon: 0.1, k: 1000, delta: 0.05, sampler: 'skip', method: 'pair' });
  add('weight-lemma run() only, k=1000 ε=0.1', 1000, 'seed', () => {
    for (let i = 0; i < 1000; i++) sink += experiment.run(params1000, Streams.forSeed(cellHi, cellLo, seedIndex++)).length;
  });

  // whole seeds through runSeeds, batches of 1000 seeds
  const seedRuns: { name: string; k: number; epsilon: number }[] = [];
  for (const epsilon of [0.1, 1e-6]) {
    for (const k of [10, 1000, 1e12]) {
      const params = experiment.resolve({ w: 'uniform', epsilon, k, delta: 0.05, sampler: 'skip', method: 'pair' });
      const task: Task = { experiment: 'weight-lemma', cell: 0, params, cellHi, cellLo, firstPos: 0, count: 1000, shard: 0, stride: 1, rows: 'csv' };
      const name = `runSeeds ×1000 k=${k === 1e12 ? '1e12' : k} ε=${epsilon}`;
      seedRuns.push({ name, k, epsilon });
      add(name, 1000, 'seed', () => {
        task.firstPos += task.count; // fresh seeds every batch
        sink += runSeeds(task).record.length;
      });
    }
  }

  console.log(`\n== a) kernels (tinybench, ${quick ? 'quick' : '1 s a task'}; load ${load()})`);
  // task by task, so that a task disturbed by other processes can be repeated (best clean attempt kept)
  const sectionMeter = cpuWindow();
  const figures: KernelFigure[] = [];
  const maxAttempts = quick ? 1 : 3;
  for (const task of bench.tasks) {
    let chosen: KernelFigure | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const meter = cpuWindow();
      task.reset();
      await task.warmup();
      await task.run();
      const w = meter();
      const f = { ...figure(task, inner[task.name][0], inner[task.name][1]), other_cpu_s: w.other_cpu_s, disturbed: disturbed(w), attempts: attempt };
      if (chosen === null || (chosen.disturbed && !f.disturbed) || (chosen.disturbed === f.disturbed && f.ns_per_op < chosen.ns_per_op)) chosen = f;
      if (!f.disturbed) break;
    }
    figures.push(chosen!);
  }
  const window = sectionMeter();
  const byName = new Map(figures.map((f) => [f.name, f]));
  const kernelFigures = figures.filter((f) => !f.name.startsWith('runSeeds'));
  table(
    ['kernel', 'ns/op', 'ops/s', '±rme', 'samples', 'note'],
    kernelFigures.map((f) => [`${f.name} (per ${f.unit})`, fmtNs(f.ns_per_op), fmtRate(f.ops_per_s), f.rme_percent.toFixed(1) + '%', String(f.samples), note(f)]),
  );
  const seeds = seedRuns.map((s) => ({ ...byName.get(s.name)!, k: s.k, epsilon: s.epsilon }));
  console.log('');
  table(
    ['weight-lemma via runSeeds (w uniform, skip)', 'ns/seed', 'seeds/s', '±rme', 'samples', 'note'],
    seeds.map((f) => [f.name, fmtNs(f.ns_per_op), fmtRate(f.ops_per_s), f.rme_percent.toFixed(1) + '%', String(f.samples), note(f)]),
  );
  for (const epsilon of [0.1, 1e-6]) {
    const row = seeds.filter((s) => s.epsilon === epsilon).map((s) => s.ns_per_op);
    const spread = Math.max(...row) / Math.min(...row);
    console.log(`flat in k at ε=${epsilon}: max/min ns/seed over k ∈ {10, 1000, 1e12} = ${spread.toFixed(2)} (${spread <= 1.15 ? 'flat' : 'NOT flat'})`);
  }
  const runOnly = byName.get('weight-lemma run() only, k=1000 ε=0.1')!;
  const whole = seeds.find((s) => s.k === 1000 && s.epsilon === 0.1)!;
  const hex = byName.get('Streams.hex (seed_hex column)')!;
  console.log(`runSeeds k=1000 ε=0.1: ${fmtNs(whole.ns_per_op)}/seed = run() ${fmtNs(runOnly.ns_per_op)} + journal line ${fmtNs(whole.ns_per_op - runOnly.ns_per_op)} (of which seed_hex ≈ ${fmtNs(hex.ns_per_op)})`);
  console.log(`section a): ${window.wall_s.toFixed(1)} s, ${fmtOther(window)} (disturbed tasks were repeated, up to ${maxAttempts} attempts)`);
  return { kernels: kernelFigures, seeds, window };
}

// ---------------------------------------------------------------------------------------
// b0) the machine's own scaling ceiling: runSeeds in 1 vs 2 bare worker threads

interface CeilingMessage {
  seeds: number;
  seconds: number;
}

/** Worker side: runSeeds on the bench cell for `seconds` (after a short warm-up), report the count. */
function ceilingWorker(seconds: number): void {
  const experiment = experiments['weight-lemma'];
  const params = experiment.resolve({ w: CELL.w, epsilon: CELL.epsilon, k: CELL.k, delta: CELL.delta, sampler: 'skip', method: 'pair' });
  const [cellHi, cellLo] = cellSeed('1', 'weight-lemma', 'ceiling');
  const task: Task = { experiment: 'weight-lemma', cell: 0, params, cellHi, cellLo, firstPos: 0, count: 1000, shard: 0, stride: 1, rows: 'csv' };
  const batch = () => {
    task.firstPos += task.count;
    sink += runSeeds(task).record.length;
  };
  const warm = performance.now();
  while (performance.now() - warm < 300) batch();
  const t0 = performance.now();
  let seeds = 0;
  while (performance.now() - t0 < seconds * 1000) {
    batch();
    seeds += 1000;
  }
  parentPort!.postMessage({ seeds, seconds: (performance.now() - t0) / 1000 } satisfies CeilingMessage);
}

async function ceilingRun(threads: number, seconds: number): Promise<{ seeds_per_s: number; window: CpuWindow }> {
  const meter = cpuWindow();
  const runs = await Promise.all(Array.from({ length: threads }, () => new Promise<CeilingMessage>((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { ceilingSeconds: seconds } });
    worker.once('message', (m: CeilingMessage) => { resolve(m); void worker.terminate(); });
    worker.once('error', reject);
  })));
  return { seeds_per_s: runs.reduce((sum, r) => sum + r.seeds / r.seconds, 0), window: meter() };
}

async function ceiling(): Promise<Record<string, unknown>> {
  const seconds = quick ? 0.3 : 4;
  console.log(`\n== b0) machine ceiling: runSeeds (cell w=${CELL.w} ε=${CELL.epsilon} k=${CELL.k}) in bare worker threads, ${seconds} s each, no pool, no journal`);
  const maxAttempts = quick ? 1 : 3;
  const best: Record<number, { seeds_per_s: number; window: CpuWindow }> = {};
  for (const threads of [1, 2]) {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const r = await ceilingRun(threads, seconds);
      console.log(`  ${threads} thread(s): ${fmtRate(r.seeds_per_s)} (${fmtOther(r.window)})`);
      if (!best[threads] || (disturbed(best[threads].window) && !disturbed(r.window)) ||
          (disturbed(best[threads].window) === disturbed(r.window) && r.seeds_per_s > best[threads].seeds_per_s)) best[threads] = r;
      if (!disturbed(r.window)) break;
    }
  }
  const ratio = best[2].seeds_per_s / best[1].seeds_per_s;
  console.log(`ceiling 2 threads vs 1 (no harness): ${ratio.toFixed(2)}×`);
  return { seconds, one: best[1], two: best[2], ratio };
}

// ---------------------------------------------------------------------------------------
// b) pool throughput through runTrials

interface PoolFigure {
  threads: number;
  seeds: number;
  elapsed_s: number;
  seeds_per_s: number;
  wall_s: number;
  /** The end-of-run CSV phase (journal -> trials.csv/summary.csv), re-timed after the run; it is inside elapsed_s. */
  outputs_s: number;
  /** seeds / (elapsed_s − outputs_s): the pool phase alone (pool start-up still included). */
  pool_phase_seeds_per_s: number;
  load_before: string;
  window: CpuWindow;
  p_hat: number | null;
}

function trialFile(dir: string, seeds: number): string {
  const file = join(dir, 'bench-weight-lemma.json');
  writeFileSync(file, JSON.stringify({
    name: 'bench-weight-lemma',
    experiment: 'weight-lemma',
    seeds,
    delta: CELL.delta,
    params: { w: CELL.w, epsilon: CELL.epsilon, k: CELL.k },
  }, null, 2) + '\n');
  return file;
}

function readPHat(outDir: string): number | null {
  try {
    const [header, row] = readFileSync(join(outDir, 'bench-weight-lemma', 'summary.csv'), 'utf8').trim().split('\n');
    const j = header.split(',').indexOf('p_hat');
    return j >= 0 ? Number(row.split(',')[j]) : null;
  } catch {
    return null;
  }
}

async function poolRun(tmp: string, threads: number, seeds: number, tag: string, timeOutputs: boolean): Promise<PoolFigure> {
  const file = trialFile(tmp, seeds);
  const out = join(tmp, `out-${tag}`);
  const loadBefore = load();
  const wallStart = performance.now();
  const meter = cpuWindow();
  const outcome = await runTrials({
    trialFiles: [file],
    threads,
    out,
    masterSeed: '1',
    shard: null,
    fresh: true,
    quiet: true,
    logEvery: 30,
    resumeCommand: '',
  });
  const wall = (performance.now() - wallStart) / 1000;
  const window = meter();
  if (outcome.status !== 'complete' || outcome.seedsRun !== seeds) {
    throw new Error(`pool run ${tag}: status ${outcome.status}, ${outcome.seedsRun} of ${seeds} seeds`);
  }
  let outputsS = 0;
  if (timeOutputs) {
    // re-time the end-of-run phase runTrials ends with (it is inside elapsedS)
    const trial = loadTrial(file);
    const cells = expandCells(trial);
    const t0 = performance.now();
    // the end-of-run phase alone: re-running the finished run (nothing left to do) rewrites its summaries
    void cells;
    await runTrials({ trialFiles: [file], threads, out, masterSeed: '1', shard: null, fresh: false, quiet: true, logEvery: 30, resumeCommand: '' });
    outputsS = (performance.now() - t0) / 1000;
  }
  const pHat = readPHat(out);
  rmSync(out, { recursive: true, force: true });
  return {
    threads,
    seeds,
    elapsed_s: outcome.elapsedS,
    seeds_per_s: outcome.seedsRun / outcome.elapsedS,
    wall_s: wall,
    outputs_s: outputsS,
    pool_phase_seeds_per_s: outcome.seedsRun / Math.max(outcome.elapsedS - outputsS, 1e-9),
    load_before: loadBefore,
    window,
    p_hat: pHat,
  };
}

async function pool(): Promise<Record<string, unknown>> {
  console.log(`\n== b) pool: weight-lemma end to end through runTrials (cell w=${CELL.w} ε=${CELL.epsilon} k=${CELL.k}, quiet, fresh)`);
  const tmp = mkdtempSync(join(tmpdir(), 'lth-bench-'));
  try {
    // fixed cost of a run (pool start-up and shut-down, run dir, outputs of a few seeds)
    const overhead1 = await poolRun(tmp, 1, 2000, 'overhead-1', false);
    const overhead2 = await poolRun(tmp, 2, 2000, 'overhead-2', false);
    console.log(`fixed cost of a run (2000 seeds): ${overhead1.elapsed_s.toFixed(2)} s with 1 thread, ${overhead2.elapsed_s.toFixed(2)} s with 2`);

    const reps = quick ? 1 : 2;
    const maxAttempts = quick ? 1 : 3; // a run disturbed by other processes is repeated
    let seeds: number;
    if (quick) {
      seeds = 40_000;
    } else {
      // size the run so that 1 thread takes about 8 s (≥ 5 s): probe the rate first
      const probe = await poolRun(tmp, 1, 300_000, 'probe', false);
      seeds = Math.min(20_000_000, Math.max(1_000_000, Math.ceil((probe.seeds_per_s * 8) / 100_000) * 100_000));
      console.log(`probe: ${fmtRate(probe.seeds_per_s)} with 1 thread -> ${seeds} seeds a run`);
    }

    const runs: PoolFigure[] = [];
    for (let rep = 0; rep < reps; rep++) {
      for (const threads of [1, 2]) {
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          const f = await poolRun(tmp, threads, seeds, `t${threads}-${rep}-${attempt}`, true);
          console.log(`  run ${rep + 1}${attempt > 1 ? ` (repeat ${attempt - 1})` : ''}, ${threads} thread(s): ${f.seeds} seeds in ${f.elapsed_s.toFixed(2)} s = ${fmtRate(f.seeds_per_s)}` +
            ` (end-of-run CSV ${f.outputs_s.toFixed(2)} s; pool phase ${fmtRate(f.pool_phase_seeds_per_s)}; ${fmtOther(f.window)})`);
          if (!quick && threads === 1 && f.elapsed_s < 5 && !disturbed(f.window) && seeds < 20_000_000) {
            // too short for start-up to be negligible: resize and start over
            seeds = Math.min(20_000_000, Math.ceil((seeds * 7) / f.elapsed_s / 100_000) * 100_000);
            console.log(`  1 thread took < 5 s: ${seeds} seeds a run from now on (earlier runs discarded)`);
            runs.length = 0;
            rep = -1;
            break;
          }
          runs.push(f);
          if (!disturbed(f.window)) break;
        }
        if (rep === -1) break;
      }
    }
    // best run per thread count, preferring undisturbed runs
    const best = (threads: number) => {
      const mine = runs.filter((r) => r.threads === threads);
      const clean = mine.filter((r) => !disturbed(r.window));
      return (clean.length > 0 ? clean : mine).reduce((a, b) => (b.seeds_per_s > a.seeds_per_s ? b : a));
    };
    const one = best(1), two = best(2);
    const ratio = two.seeds_per_s / one.seeds_per_s;
    const phaseRatio = two.pool_phase_seeds_per_s / one.pool_phase_seeds_per_s;
    console.log('');
    table(
      ['threads (best run)', 'seeds', 'elapsed', 'seeds/s', 'of which CSV', 'pool phase seeds/s'],
      [one, two].map((f) => [String(f.threads), String(f.seeds), f.elapsed_s.toFixed(2) + ' s', fmtRate(f.seeds_per_s), f.outputs_s.toFixed(2) + ' s', fmtRate(f.pool_phase_seeds_per_s)]),
    );
    if (quick) console.log('(--quick: runs too short for meaningful pool figures; smoke test only)');
    console.log(`2 threads vs 1: ${ratio.toFixed(2)}× (goal ≥ 1.85: ${ratio >= 1.85 ? 'met' : 'NOT met'}); ` +
      `pool phase alone (end-of-run CSV excluded): ${phaseRatio.toFixed(2)}×`);
    console.log('elapsed is RunOutcome.elapsedS: it includes pool start-up/shut-down and the end-of-run trials.csv/summary.csv writing' +
      (one.elapsed_s < 5 && !quick ? ' — NOTE: the 1-thread run took < 5 s' : ''));
    const exact = lemmaSuccessProbability(CELL.w, CELL.epsilon, CELL.k);
    console.log(`p̂ (1 thread) = ${one.p_hat}, exact P(success) = ${exact.toFixed(5)}`);
    return { seeds_per_run: seeds, overhead_1_thread_s: overhead1.elapsed_s, overhead_2_threads_s: overhead2.elapsed_s, runs, best_1: one, best_2: two, ratio, pool_phase_ratio: phaseRatio, p_exact: exact };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// c) numpy baseline

interface NumpyFigure {
  k: number;
  seeds: number;
  elapsed_s: number;
  seeds_per_s: number;
  ns_per_seed: number;
  success_rate: number;
  chunk: number;
  numpy: string;
  window?: CpuWindow;
  attempts?: number;
}

function numpyRun(k: number): NumpyFigure | string {
  const maxAttempts = quick ? 1 : 3;
  let last: NumpyFigure | string = 'not run';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const meter = cpuWindow(1);
    last = numpyOnce(k);
    const window = meter();
    if (typeof last === 'string') return last;
    last.window = window;
    last.attempts = attempt;
    if (!disturbed(window)) break;
    if (attempt < maxAttempts) console.log(`  numpy k=${k}: ${fmtOther(window)}, repeating`);
  }
  return last;
}

function numpyOnce(k: number): NumpyFigure | string {
  const child = spawnSync('python3', [NUMPY_SCRIPT, '--k', String(k), '--epsilon', String(CELL.epsilon), '--w', CELL.w,
    '--seconds', quick ? '0.3' : '3'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (child.error) return `python3 failed to start: ${child.error.message}`;
  if (child.status !== 0) return `python3 exited ${child.status}: ${child.stderr.trim().split('\n').pop()}`;
  const last = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as NumpyFigure;
}

function numpy(oursPool: number | null, oursInProcess: number | null): Record<string, unknown> | null {
  console.log(`\n== c) numpy baseline (bench/numpy/weight_lemma.py, 1 thread, compute only; cell w=${CELL.w} ε=${CELL.epsilon}; load ${load()})`);
  const check = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (check.error || check.status !== 0) {
    console.log('skipped: python3 with numpy is not available');
    return null;
  }
  const figures: NumpyFigure[] = [];
  for (const k of [100, 1000, 10000]) {
    const f = numpyRun(k);
    if (typeof f === 'string') {
      console.log(`k=${k}: ${f}`);
      continue;
    }
    figures.push(f);
  }
  table(
    ['numpy k', 'seeds', 'ns/seed', 'seeds/s', 'success rate', 'exact P', 'disturbance'],
    figures.map((f) => [String(f.k), String(f.seeds), fmtNs(f.ns_per_seed), fmtRate(f.seeds_per_s), f.success_rate.toFixed(4),
      lemmaSuccessProbability(CELL.w, CELL.epsilon, f.k).toFixed(4), f.window ? fmtOther(f.window) : '']),
  );
  const at1000 = figures.find((f) => f.k === 1000);
  const out: Record<string, unknown> = { numpy_version: figures[0]?.numpy, figures };
  if (at1000) {
    if (oursPool !== null) {
      const r = oursPool / at1000.seeds_per_s;
      out.ratio_pool_1_thread = r;
      console.log(`ours (runTrials, 1 thread, end to end) / numpy at k=1000: ${r.toFixed(2)}× (goal ≥ 2: ${r >= 2 ? 'met' : 'NOT met'})`);
    }
    if (oursInProcess !== null) {
      const r = oursInProcess / at1000.seeds_per_s;
      out.ratio_run_seeds = r;
      console.log(`ours (runSeeds in-process, k=1000 ε=0.1) / numpy at k=1000: ${r.toFixed(2)}×`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' });
  results.git = git.status === 0 ? git.stdout.trim() : null;
  console.log(`lottery-harness bench${quick ? ' (--quick)' : ''}: ${results.date}, git ${results.git ?? '?'}, node ${process.version}, ` +
    `${availableParallelism()} cpus (${cpus()[0]?.model ?? '?'}), load ${load()}`);
  const a = await kernels();
  results.kernels = a.kernels;
  results.run_seeds = a.seeds;
  results.kernels_window = a.window;
  const inProcess = a.seeds.find((s) => s.k === 1000 && s.epsilon === 0.1)?.ops_per_s ?? null;
  let poolOne: number | null = null;
  if (!skipPool) {
    results.ceiling = await ceiling();
    const b = await pool();
    results.pool = b;
    poolOne = (b.best_1 as PoolFigure).seeds_per_s;
  }
  if (!skipNumpy) results.numpy = numpy(poolOne, inProcess);
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results, null, 2) + '\n');
  if (sink === 42.5) console.log(''); // never true; keeps `sink` observable
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  ceilingWorker((workerData as { ceilingSeconds: number }).ceilingSeconds);
}
