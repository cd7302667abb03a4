import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read, parseCsv } from '../helpers/cli.js';

/** `lth replay` re-runs one seed in-process from run.json alone and reproduces its row. */
describe('lth replay', () => {
  const dir = tempDir();
  const trials = [
    writeTrial(dir, { name: 'lemma', experiment: 'weight-lemma', seeds: 30, delta: 0.1, params: { w: 'uniform', k: [5, 50] } }, 'a.json'),
    writeTrial(dir, { name: 'prune', experiment: 'weight-prune', seeds: 12, delta: 0.1, params: { d: 2, n: 3, epsilon: 0.4, k: [100, 'theory'] } }, 'b.json'),
  ];
  const out = join(dir, 'run');
  const run = lth(['run', ...trials, '--out', out, '--quiet']);

  it('reproduces the journaled row of every replayed seed', () => {
    expect(run.code).toBe(0);
    for (const [name, experimentColumns] of [['lemma', ['success', 'error', 'critical_width', 'sampled_units', 'w_value']],
      ['prune', ['success', 'certified_error', 'sampled_error', 'critical_width', 'kept_weights', 'sampled_units', 'p_exact']]] as const) {
      const rows = parseCsv(read(join(out, name, 'trials.csv')));
      for (const row of rows.filter((_, j) => j % 7 === 0)) {
        const replayed = lth(['replay', out, '--trial', name, '--cell', row.cell, '--seed', row.seed_index, '--json']);
        expect(replayed.code).toBe(0);
        const record = JSON.parse(replayed.stdout);
        expect(record.seed_hex).toBe(row.seed_hex);
        for (const column of experimentColumns) {
          const value = record.row[column];
          expect(value === null ? '' : String(value), `${name} ${column}`).toBe(row[column]);
        }
      }
    }
  });

  it('prints the target, kept weights per layer, per-layer errors and the worst input for weight-prune', () => {
    const text = lth(['replay', out, '--trial', 'prune', '--cell', '1', '--seed', '3']);
    expect(text.code).toBe(0);
    for (const word of ['target_layers', 'kept_weights_per_layer', 'layer_errors', 'worst_input', 'certified_error']) expect(text.stdout).toContain(word);
    const json = JSON.parse(lth(['replay', out, '--trial', 'prune', '--cell', '1', '--seed', '3', '--json']).stdout);
    expect(json.detail.pruned_net).toHaveLength(2);
    expect(json.detail.pruned_net[0].units.length).toBe(2 * 2 * 3);
  });

  it('names what is allowed for a bad trial or cell', () => {
    const bad = lth(['replay', out, '--trial', 'nope', '--cell', '0', '--seed', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--trial must be one of lemma, prune/);
    const badCell = lth(['replay', out, '--trial', 'lemma', '--cell', '9', '--seed', '0']);
    expect(badCell.code).toBe(2);
    expect(badCell.stderr).toMatch(/--cell must be an integer in \[0, 1\]/);
  });
});
