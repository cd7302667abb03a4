import { createHash } from 'node:crypto';
import type { Value } from '../experiments/types.js';
import type { RowMode } from '../run-dir/files.js';
import type { Trial } from './load.js';
import type { Cell } from './expand.js';
import { experiments } from '../experiments/index.js';

/** A trial as recorded in run.json: everything needed to reproduce or replay it. */
export interface TrialConfig {
  name: string;
  experiment: string;
  version: number;
  seeds: number;
  confidence: number;
  stop: 'decided' | 'none';
  /** Per-seed rows kept: part of the configuration (a resume with another mode is refused). */
  rows: RowMode;
  cells: { index: number; given: Record<string, Value>; params: Record<string, Value>; structural_key: string }[];
}

export interface RunConfig {
  master_seed: string;
  trials: TrialConfig[];
}

export function trialConfig(trial: Trial, cells: Cell[], rows: RowMode): TrialConfig {
  return {
    name: trial.name,
    experiment: trial.experiment.name,
    version: trial.experiment.version,
    seeds: trial.seeds,
    confidence: trial.confidence,
    stop: trial.stop,
    rows,
    cells: cells.map((c) => ({ index: c.index, given: c.given, params: c.params, structural_key: c.structuralKey })),
  };
}

/**
 * The configuration hash (DESIGN.md): resolved trials, master seed and experiment
 * versions; not the seed count (a larger --seeds extends a run), threads, shards or
 * the commit. File parameters (model and data paths) are left out: their experiments
 * resolve the files' sha256, which the hash covers instead.
 */
export function configHash(config: RunConfig): string {
  const hashed = {
    master_seed: config.master_seed,
    trials: config.trials.map(({ seeds: _seeds, ...rest }) => {
      const specs = experiments[rest.experiment]?.params ?? {};
      const withoutFiles = (values: Record<string, Value>) =>
        Object.fromEntries(Object.entries(values).filter(([name]) => !specs[name]?.file));
      return { ...rest, cells: rest.cells.map((c) => ({ ...c, given: withoutFiles(c.given), params: withoutFiles(c.params) })) };
    }),
  };
  return createHash('sha256').update(JSON.stringify(hashed)).digest('hex');
}

/** Human-readable differences between two configurations (for the "other configuration" error). */
export function configDifferences(had: RunConfig, want: RunConfig): string[] {
  const out: string[] = [];
  if (had.master_seed !== want.master_seed) out.push(`master seed ${had.master_seed} vs ${want.master_seed}`);
  const hadNames = had.trials.map((t) => t.name).join(','), wantNames = want.trials.map((t) => t.name).join(',');
  if (hadNames !== wantNames) {
    out.push(`trials [${hadNames}] vs [${wantNames}]`);
    return out;
  }
  had.trials.forEach((a, j) => {
    const b = want.trials[j];
    for (const field of ['experiment', 'version', 'confidence', 'stop', 'rows'] as const) {
      if (a[field] !== b[field]) out.push(`${a.name}.${field} ${a[field]} vs ${b[field]}`);
    }
    if (a.cells.length !== b.cells.length) {
      out.push(`${a.name} has ${a.cells.length} cells vs ${b.cells.length}`);
      return;
    }
    for (let c = 0; c < a.cells.length && out.length < 5; c++) {
      for (const key of new Set([...Object.keys(a.cells[c].params), ...Object.keys(b.cells[c].params)])) {
        const x = a.cells[c].params[key], y = b.cells[c].params[key];
        if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${a.name} cell ${c} ${key} ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
      }
    }
  });
  if (out.length === 0) out.push('configuration hash differs');
  return out;
}
