import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, tempDir, writeTrial, read, ROOT } from '../helpers/cli.js';

/**
 * The neuron-pruning experiments through the real CLI and worker pool: byte-identical
 * trials.csv and summary.csv for --threads 1 and 2 (quick trial files, plus "theory"
 * groups, a non-ReLU activation and redraws), and the max_width guard as a one-line user
 * error (exit 2).
 */
describe('neuron-rf and memorize through the CLI', () => {
  const dir = tempDir();
  const extraRf = writeTrial(dir, {
    name: 'rf-extra',
    experiment: 'neuron-rf',
    seeds: 12,
    delta: 0.9,
    params: { d: 4, n: 6, C: 0.5, epsilon: 1, groups: [3, 'theory'], activation: ['relu', 'tanh'], train_points: 100, test_points: 100 },
  }, 'rf-extra.json');
  const extraMemorize = writeTrial(dir, {
    name: 'memorize-extra',
    experiment: 'memorize',
    seeds: 12,
    delta: 0.1,
    params: { d: 4, m: 3, points: ['uniform', 'clustered'], labels: 'uniform', k: 2000, redraws: [0, 3] },
  }, 'memorize-extra.json');
  const files = [join(ROOT, 'trials', 'quick', 'neuron-rf.json'), join(ROOT, 'trials', 'quick', 'memorize.json'), extraRf, extraMemorize];
  const names = ['neuron-rf', 'memorize', 'rf-extra', 'memorize-extra'];

  const outputs = (threads: string) => {
    const out = join(dir, `t${threads}`);
    const result = lth(['run', ...files, '--seeds', '6', '--threads', threads, '--out', out, '--fresh', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return names.map((name) => read(join(out, name, 'trials.csv')) + read(join(out, name, 'summary.csv')));
  };

  it('writes byte-identical results with --threads 1 and --threads 2', () => {
    const one = outputs('1');
    const two = outputs('2');
    names.forEach((name, j) => expect(two[j], name).toBe(one[j]));
    expect(one[0].split('\n').length).toBeGreaterThan(30);
    // "theory" cells report their per-seed width k = n·T and their theory width (here the same)
    const rfRows = one[2].split('\n').filter((line) => line.includes(',theory,'));
    expect(rfRows.length).toBeGreaterThan(0);
  });

  it('refuses a width above max_width with one line naming the width and the cell (exit 2)', () => {
    const trial = writeTrial(dir, { name: 'too-wide', experiment: 'memorize', seeds: 2, delta: 0.1, params: { k: [1000, 200000000] } }, 'too-wide.json');
    const result = lth(['run', trial, '--out', join(dir, 'too-wide'), '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/too-wide\.json: cell 1 \{.*"k":200000000.*\}: memorize: width k = 200000000 is above max_width = 100000000/);
  });
});
