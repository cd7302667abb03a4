import { Piscina } from 'piscina';
import type { Task, TaskResult } from './task.js';

/** The worker pool: one task a worker, so a dying worker takes down only its own batch. */
export function createPool(threads: number): Piscina<Task, TaskResult> {
  const isSource = import.meta.url.endsWith('.ts');
  return new Piscina<Task, TaskResult>({
    filename: new URL(isSource ? './worker.ts' : './worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    // one task a worker: a worker that dies (OOM, process.exit) then takes down only its own batch,
    // so the seed-by-seed retry blames the right seed (two queued tasks per worker gained < 2%)
    concurrentTasksPerWorker: 1,
    // piscina first require()s the worker, which Node 20.20 allows for ESM; a worker terminated by
    // pool.destroy() while still inside that synchronous load aborts the whole process (SIGABRT,
    // "IsGraphAsync must be used on an instantiated module"), seen under load on short runs. Without
    // require(esm) piscina falls back to import().
    execArgv: [...process.execArgv, ...(isSource ? ['--import', 'tsx'] : []), '--no-experimental-require-module'],
    // a worker over this heap dies with ERR_WORKER_OUT_OF_MEMORY, is replaced, and its batch retried once
    resourceLimits: process.env.LTH_WORKER_HEAP_MB ? { maxOldGenerationSizeMb: Number(process.env.LTH_WORKER_HEAP_MB) } : undefined,
  });
}

/** Ctrl-C / SIGTERM: the first asks to finish in-flight batches, the second exits at once (the journal stays valid). */
export function watchSignals(quiet: boolean, onStop: () => void): () => void {
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(130);
    onStop();
    if (!quiet) process.stderr.write('\n[lth] stopping: finishing in-flight batches (press Ctrl-C again to exit at once)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // stopping on a signal: a second one that arrives after the run wound down (a short run ends within
    // the user's double Ctrl-C) still means "exit at once", with the same status, not death by the signal
    if (signals > 0) {
      const exit = () => process.exit(130);
      process.once('SIGINT', exit);
      process.once('SIGTERM', exit);
    }
  };
}
