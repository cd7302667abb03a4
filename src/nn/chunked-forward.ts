import type { PrunedNet } from './sparse.js';

/** Middle-layer buffer budget of a chunked pass: 2^22 doubles (32 MB) per worker. */
const MIDDLE_BUDGET = 1 << 22;

/**
 * Ḡ on P inputs, feature-major (X[j·P + p] → out[a·P + p]), a chunk of points at a time:
 * PrunedNet.forwardBatch holds a middle buffer of (kept units × points), which for a
 * 784-500-10 target (≈ 8·10⁵ kept units in the first pair) must not see 10⁴ points at once.
 * Identical results to one big batch: every point is computed on its own.
 */
export function prunedForwardChunked(net: PrunedNet, X: Float64Array, P: number, out: Float64Array): void {
  const inputs = net.pairs[0].inputs, outputs = net.pairs[net.pairs.length - 1].outputs;
  let units = 1;
  for (const pair of net.pairs) units = Math.max(units, pair.unitCount, pair.outputs);
  const chunk = Math.max(1, Math.min(P, Math.floor(MIDDLE_BUDGET / units)));
  if (chunk === P) { net.forwardBatch(X, P, out); return; }
  const xc = new Float64Array(inputs * chunk), oc = new Float64Array(outputs * chunk);
  for (let p0 = 0; p0 < P; p0 += chunk) {
    const c = Math.min(chunk, P - p0);
    for (let j = 0; j < inputs; j++) for (let p = 0; p < c; p++) xc[j * c + p] = X[j * P + p0 + p];
    net.forwardBatch(xc, c, oc);
    for (let a = 0; a < outputs; a++) for (let p = 0; p < c; p++) out[a * P + p0 + p] = oc[a * c + p];
  }
}
