import type { Value } from '../experiments/types.js';
import type { Trial } from './load.js';
import { UserError } from '../errors.js';

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
      params = experiment.resolve(ordered);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${trial.file}: cell ${index} ${JSON.stringify(ordered)}: ${e.message}`);
      throw e;
    }
    cells.push({ index, given: ordered, params, structuralKey: JSON.stringify(structural) });
  }
  return cells;
}
