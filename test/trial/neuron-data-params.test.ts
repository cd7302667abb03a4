/**
 * The data parameters of neuron-rf and memorize (`data`, `split`, `classes`; optional
 * parameters): refusals are one-line user errors naming the trial file and the field; the
 * configuration hash follows the data's contents, not its path; and trial files without them
 * (the synthetic experiments) keep their cells, configuration hash and rows byte for byte.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadTrial } from '../../src/trial/load.js';
import { expandCells } from '../../src/trial/expand.js';
import { configHash, trialConfig } from '../../src/trial/config.js';
import { experiments } from '../../src/experiments/index.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';
import { UserError } from '../../src/errors.js';
import { lth, tempDir, writeTrial, ROOT } from '../helpers/cli.js';

const dir = tempDir();
const slice = join(ROOT, 'data/fashion-mnist-slice');
let count = 0;
const trialFile = (experiment: string, params: Record<string, unknown>) =>
  writeTrial(dir, { name: 't', experiment, seeds: 2, delta: 0.1, params }, `t${count++}.json`);
const hash = (file: string) => {
  const t = loadTrial(file);
  return configHash({ master_seed: 'm', trials: [trialConfig(t, expandCells(t), 'csv')] });
};

function refusal(file: string): string {
  try {
    expandCells(loadTrial(file));
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const message = (e as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message.startsWith(file + ': ')).toBe(true);
    return message;
  }
  throw new Error(`${file} was accepted`);
}

describe('neuron-rf and memorize: data parameters', () => {
  it('refuses misuse with one line naming the trial file, the field and what is allowed', () => {
    expect(refusal(trialFile('neuron-rf', { classes: [0, 1] }))).toMatch(/params\.classes applies only with params\.data/);
    expect(refusal(trialFile('memorize', { split: 'train' }))).toMatch(/params\.split applies only with params\.data/);
    expect(refusal(trialFile('neuron-rf', { data: slice }))).toMatch(/params\.classes is required with params\.data: two different class labels \[a, b\]/);
    expect(refusal(trialFile('memorize', { data: slice, classes: [3, 3] }))).toMatch(/params\.classes must be two different class labels \[a, b\]/);
    expect(refusal(trialFile('memorize', { data: slice, classes: [0, 1, 2] }))).toMatch(/params\.classes must be two different class labels/);
    expect(refusal(trialFile('memorize', { data: slice, classes: [0, 42] }))).toMatch(/class 42 has no points in the test split/);
    expect(refusal(trialFile('neuron-rf', { data: slice, classes: [0, 1], d: 5 }))).toMatch(/params\.d must be absent or 784 with this data .*\(got 5\)/);
    expect(refusal(trialFile('neuron-rf', { data: slice, classes: [0, 1], noise: 0.1 }))).toMatch(/params\.noise does not apply with params\.data/);
    expect(refusal(trialFile('memorize', { data: slice, classes: [0, 1], labels: 'uniform' }))).toMatch(/params\.labels does not apply with params\.data/);
    expect(refusal(trialFile('memorize', { data: slice, classes: [0, 1], m: 1000 }))).toMatch(/params\.m must be at most \d+ with this data/);
    // d equal to the data's dimension, and classes as a sweep of pairs, are accepted
    const cells = expandCells(loadTrial(trialFile('memorize', { data: slice, classes: [[0, 1], [7, 9]], d: 784 })));
    expect(cells.map((c) => [c.params.d, c.params.classes])).toEqual([[784, '[0,1]'], [784, '[7,9]']]);
  });

  it('through the CLI: exit 2 and one line on stderr', () => {
    const file = trialFile('neuron-rf', { data: slice });
    const result = lth(['run', file, '--out', join(dir, 'out'), '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('params.classes is required with params.data');
  });

  it('the configuration hash follows the data\'s contents, not its path', () => {
    for (const copy of ['a', 'b']) {
      mkdirSync(join(dir, copy), { recursive: true });
      for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) copyFileSync(join(slice, f), join(dir, copy, f));
    }
    const a = hash(trialFile('memorize', { data: 'a', classes: [0, 1] }));
    expect(hash(trialFile('memorize', { data: 'b', classes: [0, 1] }))).toBe(a);
    expect(hash(trialFile('memorize', { data: 'b', classes: [0, 2] }))).not.toBe(a);
    const labels = join(dir, 'b', 't10k-labels-idx1-ubyte.gz');
    const raw = gunzipSync(readFileSync(labels));
    raw[8] = (raw[8] + 1) % 10; // the first point's label
    writeFileSync(labels, gzipSync(raw));
    expect(hash(trialFile('memorize', { data: 'b', classes: [0, 1] }))).not.toBe(a);
  });

  it('trial files without them keep their cells, configuration hash and rows (trials/quick, recorded before the parameters existed)', () => {
    const recorded = {
      'neuron-rf': { hash: '70a148618d426cdf', seedHex: '3f89903f0ac9f33b', row: [0, 0.9837436743598532, 0.05127001149589702, 0.0024145368547865893, 0.00034287749085895613, 0.004436859866786527, 1.9116133551209917, 244, 0.48, 234020, 500] },
      memorize: { hash: '397252c613d12a2b', seedHex: '77f1a0c3d3f80dcb', row: [0, 0.019984696933067522, 200.06950733861524, 1.0694560254631198, 53088442, 83020061, null, 5050, 10000] },
    };
    for (const [name, r] of Object.entries(recorded)) {
      const file = join(ROOT, 'trials', 'quick', `${name}.json`);
      const t = loadTrial(file);
      const cells = expandCells(t);
      for (const cell of cells) for (const key of ['data', 'split', 'classes', 'data_points', 'data_sha256']) expect(cell.params).not.toHaveProperty(key);
      expect(configHash({ master_seed: 'x', trials: [trialConfig(t, cells, 'csv')] }).slice(0, 16)).toBe(r.hash);
      const [hi, lo] = cellSeed('1', name, cells[0].structuralKey);
      const streams = Streams.forSeed(hi, lo, 0);
      expect(streams.hex).toBe(r.seedHex);
      expect(experiments[name].run(cells[0].params, streams)).toEqual(r.row);
    }
  });
});
