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

/**
 * Forward pass of P inputs at once, feature-major (X[j·P + p] → out[a·P + p]); `scratch`
 * holds two buffers of ≥ max width × P. Inner loops run over points, contiguously.
 */
export function denseForwardBatch(net: DenseNet, X: Float64Array, P: number, out: Float64Array, scratch: [Float64Array, Float64Array]): void {
  let input = X;
  const depth = net.layers.length;
  for (let i = 0; i < depth; i++) {
    const rows = net.widths[i + 1], cols = net.widths[i], w = net.layers[i];
    const target = i === depth - 1 ? out : scratch[i % 2];
    const last = i === depth - 1;
    for (let a = 0; a < rows; a++) {
      const o = a * P;
      target.fill(0, o, o + P);
      for (let b = 0; b < cols; b++) {
        const wab = w[a * cols + b], ib = b * P;
        if (wab === 0) continue;
        for (let p = 0; p < P; p++) target[o + p] += wab * input[ib + p];
      }
      if (!last) for (let p = 0; p < P; p++) if (target[o + p] < 0) target[o + p] = 0;
    }
    input = target;
  }
}
