import { describe, it, expect } from 'vitest';
import { loadSafetensors, encodeSafetensors, naturalCompare } from '../../src/models/safetensors.js';
import { UserError } from '../../src/errors.js';

/** safetensors: round trips (F32, F64), layer order, and one-line refusals. */
const w1 = [0.5, -0.25, 1, 2, 0.125, -3], b1 = [1, -1], w2 = [0.75, 1.5];

function refusal(bytes: Uint8Array): string {
  try {
    loadSafetensors('m.safetensors', bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message.split('\n')).toHaveLength(1);
    expect((e as Error).message.startsWith('m.safetensors: ')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('safetensors loader', () => {
  for (const dtype of ['F32', 'F64'] as const) {
    it(`reads ${dtype} weights and biases exactly, layers in natural order`, () => {
      const bytes = encodeSafetensors({
        '10.weight': { shape: [1, 2], values: w2 }, // after "2": natural order, not string order
        '2.weight': { shape: [2, 3], values: w1 },
        '2.bias': { shape: [2], values: b1 },
      }, dtype);
      const net = loadSafetensors('m.safetensors', bytes);
      expect(net.layers.map((l) => [l.rows, l.cols])).toEqual([[2, 3], [1, 2]]);
      expect(Array.from(net.layers[0].weight)).toEqual(w1);
      expect(Array.from(net.layers[0].bias!)).toEqual(b1);
      expect(Array.from(net.layers[1].weight)).toEqual(w2);
      expect(net.layers[1].bias).toBeNull();
    });
  }

  it('natural order compares digit runs as numbers', () => {
    expect(['fc10', 'fc2', 'fc1'].sort(naturalCompare)).toEqual(['fc1', 'fc2', 'fc10']);
    expect(['layers.10', 'layers.9'].sort(naturalCompare)).toEqual(['layers.9', 'layers.10']);
  });

  const ok = { 'a.weight': { shape: [2, 3], values: w1 } };
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['bf16', () => {
      const bytes = encodeSafetensors(ok);
      return patchHeader(bytes, (h) => h.replace('"F32"', '"F16"'));
    }, /tensor "a\.weight": dtype F16; allowed: Linear weights/],
    ['a convolution weight', () => encodeSafetensors({ 'conv.weight': { shape: [1, 1, 2, 3], values: w1 } }), /tensor "conv\.weight": shape \[1, 1, 2, 3\] \(a convolution\) is not \[out, in\]/],
    ['a name that is no Linear parameter', () => encodeSafetensors({ 'bn.running_mean': { shape: [2], values: b1 } }), /tensor "bn\.running_mean": names must end in "\.weight" or "\.bias"/],
    ['NaN', () => encodeSafetensors({ 'a.weight': { shape: [1, 2], values: [1, NaN] } }), /tensor "a\.weight" holds NaN or Inf/],
    ['shapes that do not chain', () => encodeSafetensors({ 'a.weight': { shape: [2, 3], values: w1 }, 'b.weight': { shape: [1, 3], values: [1, 2, 3] } }), /tensor "b\.weight": takes 3 inputs but the previous layer gives 2/],
    ['a bias of the wrong size', () => encodeSafetensors({ 'a.weight': { shape: [2, 3], values: w1 }, 'a.bias': { shape: [3], values: [1, 2, 3] } }), /tensor "a\.bias": shape \[3\] for a layer of 2 outputs/],
    ['a truncated file', () => encodeSafetensors(ok).subarray(0, 40), /not a readable model \(.*\); the file may be truncated/],
    ['a file cut inside the data', () => { const b = encodeSafetensors(ok); return b.subarray(0, b.length - 4); }, /tensor "a\.weight" ends at byte 24 of 20 data bytes\); the file may be truncated/],
  ];
  for (const [what, build, pattern] of cases) it(`refuses ${what}`, () => expect(refusal(build())).toMatch(pattern));
});

function patchHeader(bytes: Uint8Array, edit: (header: string) => string): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = edit(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  out.set(new TextEncoder().encode(header), 8);
  return out;
}
