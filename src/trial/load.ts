import { readFileSync, existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Experiment, Value } from '../experiments/types.js';
import type { RowMode } from '../run-dir/files.js';
import { experiments, experimentNames } from '../experiments/index.js';
import { errors, closestName } from '../errors.js';
import { trialFileSchema, trialFieldAllowed, RESERVED_NAMES } from './schema.js';
import { expandSweep } from './sweep.js';
import { parseJson } from './json.js';

/** One sweep axis: a parameter and the values it takes, in the order given. */
export interface Axis {
  name: string;
  values: Value[];
}

/** A validated trial: its experiment and one axis per parameter (single values are axes of length 1). */
export interface Trial {
  file: string;
  name: string;
  experiment: Experiment;
  seeds: number;
  confidence: number;
  stop: 'decided' | 'none';
  /** Per-seed rows (issue 12), when the trial file sets them; the flag and a resumed run's record decide otherwise. */
  rows?: RowMode;
  axes: Axis[];
  /** Parameters the trial file itself gives (the others take their defaults). */
  explicit: ReadonlySet<string>;
}

/**
 * Most cells a run may have (all its trials together): every cell is a line of run.json, a
 * row of summary.csv and of the report, and a unit of scheduling state; 10^5 cells took
 * 6.6 min and 1.5 GB of memory for one seed each here, 10^6 overflowed the stack.
 */
export const MAX_CELLS = 10000;

/** The number of cells of a trial: the product of its axis lengths (computed before expanding). */
export function cellCount(trial: Trial): number {
  return trial.axes.reduce((n, axis) => n * axis.values.length, 1);
}

/** Refuses a run whose trials have more than MAX_CELLS cells together, naming each trial's count. */
export function checkRunCells(trials: Trial[]): void {
  const counts = trials.map(cellCount);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total > MAX_CELLS) throw errors.tooManyCells(trials.map((t, j) => `${t.file}: ${counts[j]}`), total, MAX_CELLS);
}

/** Reads and validates a trial file; any problem is one UserError naming the file and field. */
export function loadTrial(file: string): Trial {
  if (!existsSync(file)) throw errors.fileMissing(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw errors.fileUnreadable(file, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  return parseTrial(file, parseJson(file, text));
}

/**
 * A file parameter's value with its paths (a string, or an object of strings) taken relative
 * to the trial file's directory and rewritten relative to the working directory (where the
 * workers open them); other values pass through. An object of paths becomes its JSON text,
 * so every parameter value stays a scalar.
 */
function relativeToTrial(trialFile: string, value: unknown): unknown {
  const rebase = (path: string) => relative(process.cwd(), resolve(dirname(trialFile), path)) || '.';
  if (typeof value === 'string') return rebase(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, v]) => typeof v === 'string')) return JSON.stringify(Object.fromEntries(entries.map(([k, v]) => [k, rebase(v as string)])));
  }
  return value;
}

export function parseTrial(file: string, json: unknown): Trial {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw errors.field(file, 'the trial', 'a JSON object with name, experiment, seeds, delta and params', json);
  }
  const raw = json as Record<string, unknown>;
  const parsed = trialFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      const name = issue.keys[0];
      throw errors.unknownField(file, name, closestName(name, Object.keys(trialFieldAllowed)), Object.keys(trialFieldAllowed));
    }
    const field = String(issue.path[0]);
    if (raw[field] === undefined) throw errors.missingField(file, field, trialFieldAllowed[field] ?? 'a value');
    throw errors.field(file, field, trialFieldAllowed[field] ?? 'valid', raw[field]);
  }
  const trial = parsed.data;
  if (RESERVED_NAMES.includes(trial.name)) throw errors.reservedTrialName(file, trial.name, RESERVED_NAMES);
  const experiment = experiments[trial.experiment];
  if (!experiment) throw errors.unknownExperiment(file, trial.experiment, experimentNames());
  const params = trial.params ?? {};
  const known = Object.keys(experiment.params);
  for (const name of Object.keys(params)) {
    if (!(name in experiment.params)) throw errors.unknownParam(file, name, experiment.name, closestName(name, known), known);
  }
  const axes: Axis[] = [];
  for (const [name, spec] of Object.entries(experiment.params)) {
    let given = params[name];
    if (given === undefined) given = name === 'delta' ? trial.delta : spec.default;
    if (given === undefined) {
      throw errors.missingField(file, name === 'delta' ? 'delta' : `params.${name}`, spec.allowed);
    }
    const sweep = spec.array ? arraySweep(given) : expandSweep(given, spec.integer === true);
    if (sweep && 'error' in sweep) throw errors.field(file, `params.${name}`, sweep.error, given);
    const isSweep = sweep !== null;
    let values = sweep ? sweep.values : [given];
    if (spec.file) values = values.map((value) => (spec.keywords?.includes(value as string) ? value : relativeToTrial(file, value) as Value));
    if (values.length === 0) throw errors.emptySweep(file, name);
    values.forEach((value, j) => {
      if (!spec.schema.safeParse(value).success) {
        const path = isSweep ? `params.${name}[${j}]` : params[name] === undefined && name === 'delta' ? 'delta' : `params.${name}`;
        throw errors.field(file, path, spec.allowed, value);
      }
    });
    if (spec.array) values = values.map((value) => (Array.isArray(value) ? JSON.stringify(value) : value));
    // an optional parameter at its default is not recorded: older trial files keep their outputs and hash
    if (spec.optional && values.every((value) => JSON.stringify(value) === JSON.stringify(spec.default))) continue;
    axes.push({ name, values: values as Value[] });
  }
  const cells = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (cells > MAX_CELLS) throw errors.tooManyCells([`${file}: ${cells}`], cells, MAX_CELLS);
  return {
    file,
    name: trial.name,
    experiment,
    seeds: trial.seeds,
    confidence: trial.confidence ?? 0.95,
    stop: trial.stop ?? 'none',
    rows: trial.rows,
    axes,
    explicit: new Set(Object.keys(params)),
  };
}

/** An array parameter (ParamSpec.array): an array of arrays is a sweep of them, anything else one value. */
function arraySweep(given: unknown): { values: unknown[] } | null {
  if (Array.isArray(given) && given.length > 0 && given.every((item) => Array.isArray(item))) return { values: given };
  return null;
}
