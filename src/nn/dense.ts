/**
 * A bias-free dense ReLU network x ↦ W_l σ(… σ(W_1 x)) (THEORY.md §2). Layer i is a
 * row-major Float64Array of n_i × n_{i−1} entries; `widths` = [n_0 = d, n_1, …, n_l].
 */
export interface DenseNet {
  widths: number[];
  layers: Float64Array[];
}

/** Entry (a, b) of layer i (0-based layer index). */
export function entry(net: DenseNet, i: number, a: number, b: number): number {
  return net.layers[i][a * net.widths[i] + b];
}

/**
 * Forward pass into `out` (length n_l), with `scratch` two buffers of length ≥ max width.
 * ReLU after every layer but the last. No allocation.
 */
export function denseForward(net: DenseNet, x: Float64Array, out: Float64Array, scratch: [Float64Array, Float64Array]): void {
  let input = x;
  const depth = net.layers.length;
  for (let i = 0; i < depth; i++) {
    const rows = net.widths[i + 1], cols = net.widths[i], w = net.layers[i];
    const target = i === depth - 1 ? out : scratch[i % 2];
    for (let a = 0; a < rows; a++) {
      let s = 0;
      const base = a * cols;
      for (let b = 0; b < cols; b++) s += w[base + b] * input[b];
      target[a] = i === depth - 1 || s > 0 ? s : 0;
    }
    input = target;
  }
}
