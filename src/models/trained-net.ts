/**
 * A trained MLP f(x) = A_l σ(… σ(A_1 x + c_1) …) + c_l as read from a model file
 * (THEORY.md §2b): layer i has a row-major weight A_i of rows × cols ([out, in], PyTorch's
 * Linear layout) and a bias c_i, or null when the file has none. Values are float64
 * whatever the file held (float32 widens exactly).
 */
export interface TrainedLayer {
  rows: number;
  cols: number;
  weight: Float64Array;
  bias: Float64Array | null;
}

export interface TrainedNet {
  /** The file it came from, for messages. */
  file: string;
  layers: TrainedLayer[];
}

export function inputWidth(net: TrainedNet): number {
  return net.layers[0].cols;
}

export function outputWidth(net: TrainedNet): number {
  return net.layers[net.layers.length - 1].rows;
}

export function hasBiases(net: TrainedNet): boolean {
  return net.layers.some((layer) => layer.bias !== null);
}

/**
 * f on P inputs at once, feature-major (X[j·P + p] → out[a·P + p]), ReLU after every layer
 * but the last; allocates its two scratch buffers per call (called once per cell, not per seed).
 */
export function trainedForwardBatch(net: TrainedNet, X: Float64Array, P: number, out: Float64Array): void {
  let input = X;
  const last = net.layers.length - 1;
  net.layers.forEach((layer, i) => {
    const target = i === last ? out : new Float64Array(layer.rows * P);
    for (let a = 0; a < layer.rows; a++) {
      const o = a * P, c = layer.bias ? layer.bias[a] : 0;
      target.fill(c, o, o + P);
      for (let b = 0; b < layer.cols; b++) {
        const w = layer.weight[a * layer.cols + b], ib = b * P;
        if (w === 0) continue;
        for (let p = 0; p < P; p++) target[o + p] += w * input[ib + p];
      }
      if (i < last) for (let p = 0; p < P; p++) if (target[o + p] < 0) target[o + p] = 0;
    }
    input = target;
  });
}
