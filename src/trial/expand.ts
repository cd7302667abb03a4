import type { Value } from '../experiments/types.js';
import type { Trial } from './load.js';
import { UserError, errors } from '../errors.js';

/** One point of a trial's sweep. */
export interface Cell {
  index: number;
  /** Parameter values as given (e.g. k = "theory"). */
  given: Record<string, Value>;
  /** Resolved parameters (derived values filled in), in the experiment's parameter order. */
  params: Record<string, Value>;
  /** Canonical JSON of the structural parameters: with the master seed it fixes the randomness. */
  structuralKey: string;
}

/**
 * The Cartesian product of a trial's axes, first parameter slowest, so cell indices
 * read like nested loops in the order `lth list` shows the parameters.
 */
export function expandCells(trial: Trial): Cell[] {
  const cells: Cell[] = [];
  const { axes, experiment } = trial;
  const counts = axes.map((a) => a.values.length);
  const total = counts.reduce((x, y) => x * y, 1);
  for (let index = 0; index < total; index++) {
    const given: Record<string, Value> = {};
    let rest = index;
    for (let j = axes.length - 1; j >= 0; j--) {
      given[axes[j].name] = axes[j].values[rest % counts[j]];
      rest = Math.floor(rest / counts[j]);
    }
    const ordered: Record<string, Value> = {};
    for (const axis of axes) ordered[axis.name] = given[axis.name];
    const structural: Record<string, Value> = {};
    for (const axis of axes) if (experiment.params[axis.name].structural) structural[axis.name] = ordered[axis.name];
    let params: Record<string, Value>;
    try {
      params = experiment.resolve(ordered, trial.explicit);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${trial.file}: cell ${index} ${JSON.stringify(ordered)}: ${e.message}`);
      throw e;
    }
    checkResolved(trial, index, ordered, params);
    cells.push({ index, given: ordered, params, structuralKey: JSON.stringify(structural) });
  }
  return cells;
}

/**
 * A derived value (k = "theory" or "exact") must itself be a value the parameter allows:
 * a tiny ε makes the width Infinity or beyond 2^53, where every seed would "succeed"
 * at a width no construction inspects (issue 15 item 4). Refused, naming the cell.
 */
function checkResolved(trial: Trial, index: number, given: Record<string, Value>, params: Record<string, Value>): void {
  for (const [name, value] of Object.entries(params)) {
    if (value === given[name]) continue;
    const spec = trial.experiment.params[name];
    if (spec && !spec.schema.safeParse(value).success) throw errors.unrunnableWidth(trial.file, index, name, given[name], value, spec.allowed);
  }
}
