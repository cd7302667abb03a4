import type { Experiment, Cell } from './types.js';
import { CellStats, type StatField } from '../stats/cell-stats.js';

/** The quantities aggregated per cell for an experiment: its columns, then its derived values. */
export function statFields(experiment: Experiment): StatField[] {
  return [
    ...experiment.columns.map((c) => ({ name: c.name, histogram: c.histogram })),
    ...(experiment.derived ?? []).map((d) => ({ name: d.name, histogram: d.histogram })),
  ];
}

export function newCellStats(experiment: Experiment): CellStats {
  return new CellStats(statFields(experiment));
}

/** Adds one seed's row (in `columns` order) to a cell's aggregate, with the derived values. */
export function addRow(stats: CellStats, experiment: Experiment, row: Cell[]): void {
  const derived = experiment.derived;
  if (!derived || derived.length === 0) {
    stats.add(row);
    return;
  }
  const values: (number | null)[] = row.slice();
  for (const d of derived) values.push(d.value(row));
  stats.add(values);
}
