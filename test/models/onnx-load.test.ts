import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOnnx } from '../../src/models/onnx.js';
import { loadModel } from '../../src/models/load-model.js';
import { trainedForwardBatch } from '../../src/models/trained-net.js';
import { onnxModel } from '../support/onnx-builder.js';
import { ROOT } from '../helpers/cli.js';

/** Loader round trips: the weights read equal the file's, and the forward pass equals PyTorch's. */
describe('ONNX loader', () => {
  const A = [1, 2, 3, 4, 5, 6]; // 2 × 3 as stored
  it('Gemm with transB = 1 reads B as [out, in], scaled by alpha; bias times beta', () => {
    const bytes = onnxModel([{ op: 'Gemm', inputs: ['x', 'B', 'C'], output: 'y', attributes: { transB: 1, alpha: 2, beta: 0.5 } }],
      [{ name: 'B', dims: [2, 3], values: A }, { name: 'C', dims: [2], values: [10, 20] }]);
    const net = loadOnnx('m.onnx', bytes);
    expect(net.layers).toHaveLength(1);
    expect([net.layers[0].rows, net.layers[0].cols]).toEqual([2, 3]);
    expect(Array.from(net.layers[0].weight)).toEqual(A.map((v) => 2 * v));
    expect(Array.from(net.layers[0].bias!)).toEqual([5, 10]);
  });

  it('Gemm with transB = 0 and MatMul read B as [in, out] (transposed), float64 and raw float32 data exactly', () => {
    const gemm = loadOnnx('m.onnx', onnxModel([{ op: 'Gemm', inputs: ['x', 'B'], output: 'y' }], [{ name: 'B', dims: [2, 3], values: A, kind: 'double' }]));
    expect([gemm.layers[0].rows, gemm.layers[0].cols]).toEqual([3, 2]);
    expect(Array.from(gemm.layers[0].weight)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(gemm.layers[0].bias).toBeNull();
    const values = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6];
    const matmul = loadOnnx('m.onnx', onnxModel(
      [{ op: 'MatMul', inputs: ['x', 'B'], output: 'h' }, { op: 'Add', inputs: ['h', 'c'], output: 'y' }],
      [{ name: 'B', dims: [2, 3], values, kind: 'raw32' }, { name: 'c', dims: [3], values: [1, 2, 3] }]));
    expect(Array.from(matmul.layers[0].weight)).toEqual([0, 3, 1, 4, 2, 5].map((j) => Math.fround(values[j])));
    expect(Array.from(matmul.layers[0].bias!)).toEqual([1, 2, 3]);
  });

  it('a Flatten, Gemm, Relu, Gemm chain has two layers that chain', () => {
    const net = loadOnnx('m.onnx', onnxModel([
      { op: 'Flatten', inputs: ['x'], output: 'f', attributes: { axis: 1 } },
      { op: 'Gemm', inputs: ['f', 'W1'], output: 'h', attributes: { transB: 1 } },
      { op: 'Relu', inputs: ['h'], output: 'r' },
      { op: 'Gemm', inputs: ['r', 'W2'], output: 'y', attributes: { transB: 1 } },
    ], [{ name: 'W1', dims: [2, 3], values: A }, { name: 'W2', dims: [1, 2], values: [1, -1] }], 'x', undefined, [-1, 3]));
    expect(net.layers.map((l) => [l.rows, l.cols])).toEqual([[2, 3], [1, 2]]);
  });

  it('PyTorch exports (Gemm with biases; MatMul + Add) compute what PyTorch computed', () => {
    const expected = JSON.parse(readFileSync(join(ROOT, 'examples/targets/fixtures/tiny-outputs.json'), 'utf8')) as Record<string, number[][]>;
    const inputs = expected.inputs, P = inputs.length;
    const X = new Float64Array(6 * P);
    inputs.forEach((x, p) => x.forEach((v, j) => { X[j * P + p] = v; }));
    for (const name of ['tiny-gemm', 'tiny-matmul']) {
      const net = loadModel(join(ROOT, 'examples/targets/fixtures', name + '.onnx'));
      const out = new Float64Array(3 * P);
      trainedForwardBatch(net, X, P, out);
      for (let p = 0; p < P; p++) for (let a = 0; a < 3; a++) expect(out[a * P + p]).toBeCloseTo(expected[name][p][a], 5);
    }
  });

  it('the trained 784-500-10 target is bias-free and the 784-64-10 one has biases', () => {
    const big = loadModel(join(ROOT, 'examples/targets/fashion-784-500-10.onnx'));
    expect(big.layers.map((l) => [l.rows, l.cols, l.bias !== null])).toEqual([[500, 784, false], [10, 500, false]]);
    const small = loadModel(join(ROOT, 'examples/targets/fashion-784-64-10.onnx'));
    expect(small.layers.map((l) => [l.rows, l.cols, l.bias !== null])).toEqual([[64, 784, true], [10, 64, true]]);
  });
});
