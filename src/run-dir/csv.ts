import { stringify } from 'csv-stringify/sync';
import type { Value } from '../experiments/types.js';

/**
 * CSV formatting (DESIGN.md "Run directory"): numbers re-parse to the same double
 * (JavaScript's shortest round-trip form), booleans 0/1 (csv-stringify would write
 * false as an empty cell), empty only for "none".
 */
export function csvLine(values: Value[]): string {
  return stringify([values], {
    cast: {
      boolean: (b: boolean) => (b ? '1' : '0'),
      number: (n: number) => String(n),
    },
  });
}

/** The fixed columns of summary.csv between the parameters and the experiment's own. */
export const SUMMARY_COLUMNS = ['seeds', 'successes', 'p_hat', 'ci_low', 'ci_high', 'interval', 'target', 'verdict', 'theory_width'];

/**
 * The CSV column of a parameter: its name, or `param_<name>` when that name is also a
 * fixed column (weight-prune's `target` kind vs the claimed probability `target` = 1 − δ).
 */
export function paramColumn(name: string): string {
  return SUMMARY_COLUMNS.includes(name) || name === 'cell' ? `param_${name}` : name;
}

/** The header of trials.csv: seed identity, the cell's parameters, the experiment's columns. */
export function trialsHeader(paramNames: string[], columns: string[]): string {
  return ['cell', 'seed_index', 'seed_hex', ...paramNames.map(paramColumn), ...columns].join(',') + '\n';
}
