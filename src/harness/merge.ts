import { existsSync, mkdirSync, readdirSync, openSync, writeSync, closeSync, renameSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';
import { errors, UserError } from '../errors.js';
import { experiments } from '../experiments/index.js';
import { statFields } from '../experiments/aggregate.js';
import { CellStats } from '../stats/cell-stats.js';
import { readRunJson, writeRunJson, type RunJson } from './rundir.js';
import { STATE, JOURNAL, TRIALS_CSV, TRIALS_PARQUET, SUMMARY_CSV } from '../run-dir/files.js';
import { readState, writeState, type TrialState } from '../run-dir/state.js';
import { summarizeCell, applyHolm, summaryCsv, type TrialSummary } from '../run-dir/summary.js';
import { LineReader } from '../run-dir/line-reader.js';
import { DoneSet } from './done-set.js';
import { positionsInShard } from './scheduler.js';
import { writeAtomic } from './outputs.js';
import { mergeParquetRows, type ShardJournal } from './merge-parquet.js';

/**
 * `lth merge`: combines the run directories of `--shard i/N` runs into one directory
 * equal to a one-machine run. Checks that the shards share the configuration and tool
 * version, that each is complete, and that together they hold every seed exactly once
 * (missing or duplicated shards are named). Aggregates merge exactly (issue 12); rows
 * are merged by (cell, seed) from the shards' sorted trials.csv files, or for trials.parquet
 * from the shards' journals, streaming.
 */
export function mergeRuns(dirs: string[], out: string): RunJson {
  if (dirs.length === 0) throw new UserError('lth merge needs the run directories of the shards');
  const runs = dirs.map((dir) => ({ dir, run: readRunJson(dir) }));
  const first = runs[0];
  for (const { dir, run } of runs) {
    if (run.config_hash !== first.run.config_hash) {
      throw new UserError(`${dir}: holds a different configuration than ${first.dir} (hash ${run.config_hash.slice(0, 12)} vs ${first.run.config_hash.slice(0, 12)})`);
    }
    if (run.tool.version !== first.run.tool.version) {
      throw new UserError(`${dir}: was written by lottery-harness ${run.tool.version}, ${first.dir} by ${first.run.tool.version}`);
    }
    if (run.status !== 'complete') throw new UserError(`${dir}: shard run is ${run.status}; finish it first (re-run its command)`);
    if (JSON.stringify(run.trials.map((t) => t.seeds)) !== JSON.stringify(first.run.trials.map((t) => t.seeds))) {
      throw new UserError(`${dir}: has different seed counts than ${first.dir}`);
    }
  }
  const count = first.run.shard?.count ?? 1;
  const byIndex = new Map<number, string[]>();
  for (const { dir, run } of runs) {
    if ((run.shard?.count ?? 1) !== count) throw new UserError(`${dir}: shard ${fmt(run)} does not belong to a split into ${count}`);
    const index = run.shard?.index ?? 0;
    byIndex.set(index, [...(byIndex.get(index) ?? []), dir]);
  }
  const problems: string[] = [];
  for (let i = 0; i < count; i++) {
    const holders = byIndex.get(i) ?? [];
    if (holders.length === 0) problems.push(`missing shard ${i}/${count}`);
    if (holders.length > 1) problems.push(`shard ${i}/${count} given twice (${holders.join(', ')})`);
  }
  if (problems.length) throw new UserError(`lth merge: ${problems.join('; ')}`);
  if (existsSync(out) && readdirSync(out).length > 0) throw new UserError(`${out}: exists and is not empty; choose another --out`);
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw errors.unwritable(out, (e as NodeJS.ErrnoException).code ?? String(e));
  }

  const summaries: TrialSummary[] = [];
  const states: TrialState[] = [];
  for (const trial of first.run.trials) {
    const experiment = experiments[trial.experiment];
    const fields = statFields(experiment);
    const stats = trial.cells.map(() => new CellStats(fields));
    const journals: ShardJournal[] = [];
    for (const { dir, run } of runs) {
      const file = join(dir, trial.name, STATE);
      const state = readState(file);
      if (!state) throw new UserError(`${file}: missing; the shard's run directory is incomplete`);
      const index = run.shard?.index ?? 0;
      journals[index] = { file: join(dir, trial.name, JOURNAL), bytes: state.journal_bytes };
      const positions = positionsInShard(trial.seeds, index, count);
      if (state.cells.length !== trial.cells.length) throw errors.corruptState(file, `has ${state.cells.length} cells, the trial ${trial.cells.length}`);
      state.cells.forEach((cell, c) => {
        const done = DoneSet.fromJSON(cell.done);
        const missing = done ? done.nextFree(0) : 0;
        if (!done || missing < positions) {
          throw new UserError(`lth merge: ${trial.name} cell ${c} seed ${index + missing * count} is in no shard (was a shard run with fewer seeds?)`);
        }
        try {
          stats[c].merge(CellStats.fromJSON(fields, cell.stats));
        } catch (e) {
          throw errors.corruptState(file, `cell ${c}: ${(e as Error).message}`);
        }
      });
    }
    const trialDir = join(out, trial.name);
    mkdirSync(trialDir, { recursive: true });
    const cells = trial.cells.map((c) => ({ index: c.index, params: c.params }));
    summaries.push({ experiment, confidence: trial.confidence, records: cells.map((cell, c) => summarizeCell(experiment, cell, stats[c], trial.confidence, trial.stop)) });
    const rows = trial.rows ?? 'csv';
    states.push({
      format: 1, trial: trial.name, rows, shard: { index: 0, count: 1 }, epoch: 0, journal_bytes: 0, merged: true,
      cells: stats.map((s) => ({ done: [[0, trial.seeds]], stats: s.toJSON() })),
    });
    if (rows === 'csv') mergeRows(runs.map((r) => join(r.dir, trial.name, TRIALS_CSV)), join(trialDir, TRIALS_CSV));
    if (rows === 'parquet') mergeParquetRows(join(trialDir, TRIALS_PARQUET), experiment, trial.cells, trial.seeds, journals);
  }
  if ((first.run.family_wise ?? 'none') === 'holm') applyHolm(summaries);
  first.run.trials.forEach((trial, j) => {
    const trialDir = join(out, trial.name);
    writeAtomic(join(trialDir, SUMMARY_CSV), summaryCsv(summaries[j], Object.keys(trial.cells[0]?.params ?? {})));
    writeState(join(trialDir, STATE), states[j]);
  });
  const merged: RunJson = {
    ...first.run,
    shard: null,
    started: runs.map((r) => r.run.started).sort()[0],
    ended: runs.map((r) => r.run.ended ?? '').sort().reverse()[0] || null,
    threads: runs.reduce((n, r) => n + r.run.threads, 0),
    elapsed_s: Math.max(...runs.map((r) => r.run.elapsed_s)),
    seeds_run: runs.reduce((n, r) => n + r.run.seeds_run, 0),
    seeds_per_s: null,
    status: 'complete',
  };
  delete merged.seals;
  writeRunJson(out, merged);
  return merged;
}

/** (cell, seed) of a trials.csv line: its first two fields. */
function key(line: Buffer): [number, number] {
  let p = 0, cell = 0, seed = 0;
  while (line[p] !== 44) cell = cell * 10 + (line[p++] - 48);
  p++;
  while (line[p] !== 44) seed = seed * 10 + (line[p++] - 48);
  return [cell, seed];
}

/** A k-way merge of sorted trials.csv files by (cell, seed), through fixed buffers. */
function mergeRows(files: string[], out: string): void {
  for (const f of files) if (!existsSync(f)) throw new UserError(`${f}: missing; the shard's rows are needed for the merged trials.csv`);
  const readers = files.map((f) => new LineReader(f));
  const fd = openSync(out + '.tmp', 'w');
  try {
    const headers = readers.map((r) => r.next()?.toString() ?? '');
    if (headers.some((h) => h !== headers[0])) throw new UserError(`${files[headers.findIndex((h) => h !== headers[0])]}: header differs from ${files[0]}`);
    let pending = Buffer.allocUnsafe(4 << 20), used = 0;
    const write = (data: Buffer) => {
      if (used + data.length + 1 > pending.length) {
        let done = 0;
        while (done < used) done += writeSync(fd, pending, done, used - done);
        used = 0;
        if (data.length + 1 > pending.length) pending = Buffer.allocUnsafe(data.length + 1);
      }
      data.copy(pending, used);
      used += data.length;
      pending[used++] = 10;
    };
    write(Buffer.from(headers[0]));
    const heads = readers.map((r) => r.next());
    const keys = heads.map((h) => (h ? key(h) : null));
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const k = keys[i];
        if (!k) continue;
        if (best < 0 || k[0] < keys[best]![0] || (k[0] === keys[best]![0] && k[1] < keys[best]![1])) best = i;
      }
      if (best < 0) break;
      write(heads[best]!);
      heads[best] = readers[best].next();
      keys[best] = heads[best] ? key(heads[best]!) : null;
    }
    let done = 0;
    while (done < used) done += writeSync(fd, pending, done, used - done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    readers.forEach((r) => r.close());
  }
  renameSync(out + '.tmp', out);
}

function fmt(run: RunJson): string {
  return run.shard ? `${run.shard.index}/${run.shard.count}` : 'none';
}
