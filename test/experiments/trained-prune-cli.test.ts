import { describe, it, expect } from 'vitest';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSafetensors } from '../../src/models/safetensors.js';
import { encodeIdxUint8 } from '../../src/data/idx.js';
import { onnxModel } from '../support/onnx-builder.js';
import { lth, tempDir, writeTrial } from '../helpers/cli.js';

/** trained-prune through the CLI: paths relative to the trial file, a refused model is one line, exit 2. */
describe('trained-prune from the command line', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'models'));
  mkdirSync(join(dir, 'digits'));
  writeFileSync(join(dir, 'models', 'tiny.safetensors'), encodeSafetensors({
    'fc1.weight': { shape: [3, 4], values: [0.5, -0.2, 0.1, 0.3, -0.4, 0.2, 0.6, -0.1, 0.2, 0.2, -0.3, 0.4] },
    'fc2.weight': { shape: [2, 3], values: [0.7, -0.5, 0.3, -0.2, 0.6, 0.1] },
  }));
  writeFileSync(join(dir, 'digits', 't10k-images-idx3-ubyte'), encodeIdxUint8([20, 2, 2], Array.from({ length: 80 }, (_, j) => (j * 53) % 256)));
  writeFileSync(join(dir, 'digits', 't10k-labels-idx1-ubyte'), encodeIdxUint8([20], Array.from({ length: 20 }, (_, j) => j % 2)));
  const trial = {
    name: 'tiny', experiment: 'trained-prune', seeds: 3, delta: 0.1,
    params: { model: 'models/tiny.safetensors', data: 'digits', k: [50, 'theory'], epsilon: { relative: 0.2 } },
  };

  it('runs with the model and data given relative to the trial file; rows carry the files\' sha256', () => {
    const file = writeTrial(dir, trial);
    const out = join(dir, 'out');
    const result = lth(['run', file, '--out', out, '--quiet', '--threads', '1']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = readFileSync(join(out, 'tiny', 'trials.csv'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(1 + 2 * 3);
    const header = rows[0].split(','), last = rows[rows.length - 1].split(',');
    const at = (name: string) => last[header.indexOf(name)];
    expect(at('success')).toBe('1'); // k = "theory"
    expect(at('model_sha256')).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(at('target_accuracy'))).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'tiny', 'summary.csv'), 'utf8')).toContain('mean_pruned_accuracy');
  });

  it('a convolution in the model is one line naming the file and node, exit 2', () => {
    writeFileSync(join(dir, 'models', 'conv.onnx'), onnxModel([{ op: 'Conv', inputs: ['x', 'K'], output: 'y', name: 'conv1' }],
      [{ name: 'K', dims: [2, 2], values: [1, 2, 3, 4] }]));
    const file = writeTrial(dir, { ...trial, params: { ...trial.params, model: 'models/conv.onnx' } }, 'conv.json');
    const result = lth(['run', file, '--out', join(dir, 'out2'), '--quiet']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/conv\.onnx: node "conv1" \(Conv\): operator Conv is not allowed; allowed: a chain of Gemm/);
  });

  it('a missing model file is one line, exit 2', () => {
    const file = writeTrial(dir, { ...trial, params: { ...trial.params, model: 'models/none.onnx' } }, 'none.json');
    const result = lth(['run', file, '--out', join(dir, 'out3'), '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/models\/none\.onnx: no such file/);
  });
});
