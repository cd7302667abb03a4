import { experiments } from '../experiments/index.js';
import { readRunJson } from '../run-dir/run-json.js';
import { cellSeed, Streams } from '../rng/streams.js';
import { errors } from '../errors.js';

/**
 * `lth replay`: re-runs one seed of a run in-process, from run.json alone, and
 * prints its row and the experiment's account of it (`--json` for machines).
 */
export function replay(dir: string, trialName: string, cellIndex: number, seedIndex: number, json: boolean): string {
  const run = readRunJson(dir);
  const trial = run.trials.find((t) => t.name === trialName);
  if (!trial) throw errors.noSuchTrial(dir, trialName, run.trials.map((t) => t.name));
  if (!Number.isInteger(cellIndex) || cellIndex < 0 || cellIndex >= trial.cells.length) {
    throw errors.noSuchCell(trialName, cellIndex, trial.cells.length);
  }
  if (!Number.isInteger(seedIndex) || seedIndex < 0) throw errors.flag('seed', 'an integer ≥ 0', seedIndex);
  const experiment = experiments[trial.experiment];
  const cell = trial.cells[cellIndex];
  const [hi, lo] = cellSeed(run.master_seed, experiment.name, cell.structural_key);
  const row = experiment.run(cell.params, Streams.forSeed(hi, lo, seedIndex));
  const columns: Record<string, number | null> = {};
  experiment.columns.forEach((c, j) => (columns[c.name] = row[j]));
  const detail = experiment.explain?.(cell.params, Streams.forSeed(hi, lo, seedIndex)) ?? {};
  const record = {
    trial: trialName,
    experiment: experiment.name,
    cell: cellIndex,
    seed_index: seedIndex,
    seed_hex: Streams.forSeed(hi, lo, seedIndex).hex,
    params: cell.params,
    row: columns,
    detail,
  };
  if (json) return JSON.stringify(record, null, 2) + '\n';
  const lines = [`${trialName} (${experiment.name}) cell ${cellIndex} seed ${seedIndex} [${record.seed_hex}]`];
  lines.push(`params: ${JSON.stringify(cell.params)}`);
  for (const [name, value] of Object.entries(columns)) lines.push(`  ${name} = ${value === null ? '(none)' : value}`);
  for (const [name, value] of Object.entries(detail)) lines.push(`  ${name}: ${JSON.stringify(value)}`);
  return lines.join('\n') + '\n';
}
