import { experiments } from '../experiments/index.js';
import { SUMMARY_COLUMNS } from '../run-dir/csv.js';
import { MAX_CELLS } from '../trial/load.js';
import { MAX_SWEEP_VALUES } from '../trial/sweep.js';
import { RESERVED_NAMES } from '../trial/schema.js';

/** `lth list`: every experiment, its parameters (default, structural or evaluation, meaning) and columns. */
export function listExperiments(): string {
  const out: string[] = [];
  out.push('Experiments (trial file: {"name", "experiment", "seeds", "delta", "confidence"?, "params": {...}};');
  out.push('a parameter given as an array is a sweep axis; cells are the Cartesian product of the axes).');
  out.push('Sweeps: a list [a, b, …]; {"log": [from, to, count]} (from·(to/from)^(j/(count−1)), rounded for');
  out.push('integer parameters, duplicates removed); {"range": [from, to, step]} (from + j·step, to included).');
  out.push(`Limits: at most ${MAX_SWEEP_VALUES} values a sweep object, at most ${MAX_CELLS} cells a run (all its trials together);`);
  out.push(`a trial name may not be one of the run directory's own files (${RESERVED_NAMES.join(', ')}).`);
  out.push('Structural parameters decide what is sampled: cells that differ only in evaluation parameters');
  out.push('see the same random draws (common random numbers).');
  for (const experiment of Object.values(experiments)) {
    out.push('');
    out.push(`${experiment.name} (version ${experiment.version})`);
    out.push(`  ${experiment.summary}`);
    out.push('  parameters:');
    for (const [name, spec] of Object.entries(experiment.params)) {
      const def = name === 'delta' ? 'trial "delta"' : spec.default === undefined ? 'required' : JSON.stringify(spec.default);
      const optional = spec.optional ? ' (when left out, not recorded: no column, not in the configuration hash)' : '';
      out.push(`    ${name.padEnd(12)} ${spec.structural ? 'structural' : 'evaluation'}  default ${def}${optional}; ${spec.allowed}`);
      out.push(`    ${''.padEnd(12)} ${spec.doc}`);
    }
    out.push('  per-seed columns (trials.csv):');
    for (const column of experiment.columns) out.push(`    ${column.name.padEnd(16)} ${column.doc}`);
    out.push(`  per-cell columns (summary.csv, after ${SUMMARY_COLUMNS.join(', ')}):`);
    for (const column of experiment.summaryColumns) out.push(`    ${column.name.padEnd(16)} ${column.doc}`);
  }
  return out.join('\n') + '\n';
}
