import { existsSync, mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors, UserError } from '../errors.js';
import { experiments } from '../experiments/index.js';
import { readRunJson, writeRunJson, type RunJson } from './rundir.js';
import { journalHeader, writeRunOutputs, type OutputTrial } from './outputs.js';
import type { Cell } from '../trial/expand.js';

/**
 * `lth merge`: combines the run directories of `--shard i/N` runs into one directory
 * equal to a one-machine run. Checks that the shards share the configuration and tool
 * version, that each is complete, and that together they hold every seed exactly once
 * (missing or duplicated shards are named).
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

  const outputs: OutputTrial[] = [];
  for (const trial of first.run.trials) {
    const experiment = experiments[trial.experiment];
    const header = journalHeader(experiment);
    const trialDir = join(out, trial.name);
    mkdirSync(trialDir, { recursive: true });
    const seen = trial.cells.map(() => new Uint8Array(trial.seeds));
    let text = header + '\n';
    for (const { dir, run } of runs) {
      const journal = readFileSync(join(dir, trial.name, 'journal.csv'), 'utf8');
      const lines = journal.split('\n');
      if (lines[0] !== header) throw errors.corruptJournal(join(dir, trial.name, 'journal.csv'), 1, 'header does not match the experiment');
      for (let j = 1; j < lines.length; j++) {
        const line = lines[j];
        if (line === '') continue;
        const [cell, seed] = line.split(',', 2).map(Number);
        if ((seed % count) !== (run.shard?.index ?? 0) || seed >= trial.seeds || !(cell < trial.cells.length)) {
          throw errors.corruptJournal(join(dir, trial.name, 'journal.csv'), j + 1, `seed ${seed} of cell ${cell} does not belong to shard ${fmt(run)}`);
        }
        if (seen[cell][seed]) continue; // a retried batch may journal a seed twice in one shard
        seen[cell][seed] = 1;
        text += line + '\n';
      }
    }
    seen.forEach((cellSeen, cell) => {
      const missing = cellSeen.indexOf(0);
      if (missing >= 0) throw new UserError(`lth merge: ${trial.name} cell ${cell} seed ${missing} is in no shard (was a shard run with fewer seeds?)`);
    });
    writeFileSync(join(trialDir, 'journal.csv'), text);
    const cells: Cell[] = trial.cells.map((c) => ({ index: c.index, given: c.given, params: c.params, structuralKey: c.structural_key }));
    outputs.push({ trialDir, experiment, cells, confidence: trial.confidence, stop: trial.stop, seeds: trial.seeds });
  }
  writeRunOutputs(outputs, first.run.family_wise ?? 'none');
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
  writeRunJson(out, merged);
  return merged;
}

function fmt(run: RunJson): string {
  return run.shard ? `${run.shard.index}/${run.shard.count}` : 'none';
}
