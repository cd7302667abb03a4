/**
 * Every user-facing error message lives here as a small factory (after piscina's
 * src/errors.ts). A `UserError` is a bad file, flag or run directory: one line on
 * stderr, exit 2, never a stack trace. Anything else is a bug: exit 1.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** An exception inside an experiment, with what it takes to replay the seed. */
export class SeedError extends Error {
  override name = 'SeedError';
  /** The run directory, for the replay command. */
  runDir = 'output/<run>';
  constructor(
    readonly trial: string,
    readonly cell: number,
    readonly seed: number,
    readonly reason: string,
    readonly detail?: string,
  ) {
    super(`trial ${trial}, cell ${cell}, seed ${seed}: ${reason}`);
  }
}

export const errors = {
  fileMissing: (file: string) => new UserError(`${file}: no such file`),
  fileUnreadable: (file: string, why: string) => new UserError(`${file}: cannot read (${why})`),
  notJson: (file: string, why: string) => new UserError(`${file}: not valid JSON (${why})`),
  field: (file: string, path: string, allowed: string, got: unknown) =>
    new UserError(`${file}: ${path} must be ${allowed} (got ${show(got)})`),
  missingField: (file: string, path: string, allowed: string) =>
    new UserError(`${file}: ${path} is required: ${allowed}`),
  unknownExperiment: (file: string, got: unknown, known: string[]) =>
    new UserError(`${file}: experiment must be one of ${known.join(', ')} (got ${show(got)})`),
  unknownParam: (file: string, name: string, experiment: string, closest: string | null, known: string[]) =>
    new UserError(
      `${file}: params.${name} is not a parameter of ${experiment}` +
        (closest ? ` (did you mean "${closest}"?)` : '') +
        `; allowed: ${known.join(', ')}`,
    ),
  unknownField: (file: string, name: string, closest: string | null, known: string[]) =>
    new UserError(
      `${file}: unknown field "${name}"` + (closest ? ` (did you mean "${closest}"?)` : '') + `; allowed: ${known.join(', ')}`,
    ),
  emptySweep: (file: string, name: string) => new UserError(`${file}: params.${name} is an empty sweep (give at least one value)`),
  duplicateTrial: (file: string, name: string) => new UserError(`${file}: trial name "${name}" is used twice in this run`),
  unrunnableWidth: (file: string, cell: number, name: string, given: unknown, value: unknown, allowed: string) =>
    new UserError(
      `${file}: cell ${cell}: ${name} ${show(given)} resolves to ${typeof value === 'number' ? String(value) : show(value)}, ` +
        `not a value ${name} can take (${allowed}, at most 2^53 − 1); ` +
        `raise epsilon or delta, or give ${name} as a number`,
    ),
  reservedTrialName: (file: string, name: string, reserved: string[]) =>
    new UserError(`${file}: name must not be one of the run directory's own files (${reserved.join(', ')}) (got ${show(name)})`),
  tooManyCells: (counts: string[], total: number, max: number) =>
    new UserError(`a run may have at most ${max} cells (got ${total}: ${counts.join('; ')}); split the sweep over several runs or sweep fewer values`),
  flag: (flag: string, allowed: string, got: unknown) => new UserError(`--${flag} must be ${allowed} (got ${show(got)})`),
  decidedWithShard: () =>
    new UserError('--until-decided (or "stop": "decided") cannot be combined with --shard: a shard cannot see the other shards\' seeds; run early-stopped trials unsharded'),
  noTrials: () => new UserError('lth run needs at least one trial file (e.g. lth run trials/quick/weight-lemma.json)'),
  otherConfig: (dir: string, differences: string[]) =>
    new UserError(
      `${dir}: run directory holds a different configuration (${differences.join('; ')}); use --out DIR for a new run or --fresh to overwrite`,
    ),
  fewerSeeds: (dir: string, trial: string, had: number, asked: number) =>
    new UserError(`${dir}: trial ${trial} already has ${had} seeds per cell; --seeds must be ≥ ${had} to resume or extend (got ${asked}); use --out DIR or --fresh`),
  notRunDir: (dir: string) => new UserError(`${dir}: exists and is not a run directory (no run.json); choose another --out`),
  runDirMissing: (dir: string) => new UserError(`${dir}: not a run directory (no run.json)`),
  corruptRunJson: (dir: string, why: string) => new UserError(`${dir}/run.json: corrupt (${why})`),
  corruptJournal: (file: string, _record: number, why: string) =>
    new UserError(`${file}: ${why}; it does not match this run (move it away or use --fresh)`),
  corruptState: (file: string, why: string) =>
    new UserError(`${file}: ${why}; the run directory was changed outside lth (move it away or use --fresh)`),
  changedJournal: (file: string, why: string) =>
    new UserError(`${file}: changed since the run completed (${why}); its results can no longer be trusted (re-run with --fresh or restore the file)`),
  locked: (dir: string, holder: string) =>
    new UserError(`${dir}: in use by another lth run (${holder}); wait for it, or stop it first (a lock left by a dead process on this host is recovered automatically)`),
  unwritable: (dir: string, why: string) => new UserError(`${dir}: cannot write the run directory (${why})`),
  noSuchTrial: (dir: string, trial: string, known: string[]) =>
    new UserError(`${dir}: --trial must be one of ${known.join(', ')} (got ${show(trial)})`),
  noSuchCell: (trial: string, cell: number, count: number) =>
    new UserError(`--cell must be an integer in [0, ${count - 1}] for trial ${trial} (got ${cell})`),
};

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? text.slice(0, 57) + '...' : text;
}

/** The known name closest to `name` by edit distance, if it is close enough to be a typo. */
export function closestName(name: string, known: string[]): string | null {
  let best: string | null = null, bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) { bestDistance = d; best = candidate; }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length];
}
