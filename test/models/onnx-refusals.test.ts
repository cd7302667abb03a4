import { describe, it, expect } from 'vitest';
import { loadOnnx } from '../../src/models/onnx.js';
import { UserError } from '../../src/errors.js';
import { onnxModel, type NodeSpec, type TensorSpec } from '../support/onnx-builder.js';

/** Everything outside a Gemm/MatMul/Relu chain is refused with one line naming the file and the node or tensor. */
const W = (name: string, rows: number, cols: number, value = 0.5): TensorSpec => ({ name, dims: [rows, cols], values: Array(rows * cols).fill(value) });
const gemm = (input: string, w: string, output: string): NodeSpec => ({ op: 'Gemm', inputs: [input, w], output, attributes: { transB: 1 } });

function refusal(bytes: Uint8Array): string {
  try {
    loadOnnx('model.onnx', bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const message = (e as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message.startsWith('model.onnx: ')).toBe(true);
    return message;
  }
  throw new Error('not refused');
}

describe('ONNX refusals', () => {
  const good = onnxModel([gemm('x', 'W1', 'h'), { op: 'Relu', inputs: ['h'], output: 'r' }, gemm('r', 'W2', 'y')], [W('W1', 4, 3), W('W2', 2, 4)]);

  it('accepts the good chain', () => {
    expect(loadOnnx('model.onnx', good).layers).toHaveLength(2);
  });

  const cases: [string, () => Uint8Array, RegExp][] = [
    ['a convolution', () => onnxModel([{ op: 'Conv', inputs: ['x', 'K'], output: 'y', name: 'conv1' }], [W('K', 2, 2)]), /node "conv1" \(Conv\): operator Conv is not allowed; allowed: a chain of Gemm/],
    ['another activation', () => onnxModel([gemm('x', 'W1', 'h'), { op: 'Sigmoid', inputs: ['h'], output: 's', name: 'sig' }, gemm('s', 'W2', 'y')], [W('W1', 4, 3), W('W2', 2, 4)]), /node "sig" \(Sigmoid\): operator Sigmoid is not allowed/],
    ['a branch', () => onnxModel([gemm('x', 'W1', 'h'), { op: 'Relu', inputs: ['h'], output: 'r' }, gemm('r', 'W2', 'y'), gemm('h', 'W3', 'z')], [W('W1', 4, 3), W('W2', 2, 4), W('W3', 2, 4)], 'x', 'y'), /tensor "h": feeds 2 nodes \(branches are not allowed\)/],
    ['a skip connection (Add of two chain tensors)', () => onnxModel([gemm('x', 'W1', 'h'), { op: 'Relu', inputs: ['h'], output: 'r' }, { op: 'Add', inputs: ['r', 'h'], output: 'y', name: 'skip' }], [W('W1', 3, 3)], 'x', 'y'), /feeds 2 nodes|branches are not allowed/],
    ['NaN weights', () => onnxModel([gemm('x', 'W1', 'y')], [{ name: 'W1', dims: [1, 2], values: [1, NaN] }]), /tensor "W1" holds NaN or Inf/],
    ['Inf weights (raw data)', () => onnxModel([gemm('x', 'W1', 'y')], [{ name: 'W1', dims: [1, 2], values: [Infinity, 1], kind: 'raw32' }]), /tensor "W1" holds NaN or Inf/],
    ['shapes that do not chain', () => onnxModel([gemm('x', 'W1', 'h'), { op: 'Relu', inputs: ['h'], output: 'r' }, gemm('r', 'W2', 'y')], [W('W1', 4, 3), W('W2', 2, 5)]), /takes 5 inputs but the previous layer gives 4 \(shapes do not chain\)/],
    ['an input shape that does not fit', () => onnxModel([gemm('x', 'W1', 'y')], [W('W1', 2, 3)], 'x', undefined, [-1, 4]), /input "x": has 4 features but the first layer takes 3/],
    ['a Relu on the output', () => onnxModel([gemm('x', 'W1', 'h'), { op: 'Relu', inputs: ['h'], output: 'y' }], [W('W1', 2, 3)]), /a Relu after the last linear layer/],
    ['two linear layers without a Relu', () => onnxModel([gemm('x', 'W1', 'h'), gemm('h', 'W2', 'y')], [W('W1', 4, 3), W('W2', 2, 4)]), /two linear layers without a Relu/],
    ['transA = 1', () => onnxModel([{ op: 'Gemm', inputs: ['x', 'W1'], output: 'y', attributes: { transA: 1 }, name: 'g' }], [W('W1', 3, 2)]), /node "g" \(Gemm\): Gemm with transA = 1/],
    ['a non-constant weight', () => onnxModel([{ op: 'MatMul', inputs: ['x', 'w'], output: 'y', name: 'mm' }], []), /node "mm" \(MatMul\): takes the non-constant input "w"/],
    ['a Reshape after the first layer', () => onnxModel([gemm('x', 'W1', 'h'), { op: 'Reshape', inputs: ['h', 's'], output: 'y', name: 'rs' }], [W('W1', 2, 3), { name: 's', dims: [2], values: [-1, 2], kind: 'int64' }]), /node "rs" \(Reshape\): Reshape after the first layer/],
    ['int weights', () => onnxModel([gemm('x', 'W1', 'y')], [{ name: 'W1', dims: [1, 2], values: [1, 2], kind: 'int64' }]), /tensor "W1": data type INT64/],
  ];
  for (const [what, build, pattern] of cases) it(`refuses ${what}`, () => expect(refusal(build())).toMatch(pattern));

  it('refuses a truncated file', () => {
    expect(refusal(good.subarray(0, Math.floor(good.length * 0.6)))).toMatch(/model\.onnx: not a readable model \(ONNX protobuf: .*\); the file may be truncated/);
  });
});
