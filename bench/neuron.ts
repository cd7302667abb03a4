/**
 * Throughput of the neuron-pruning experiments (THEORY.md §8, §9), one thread, in-process:
 *
 *   a) the dense features × points kernel Φ = σ(X·Wᵀ) (src/nn/random-features.ts) and the
 *      normal equations ΦᵀΦ, Φᵀy, in GFLOP/s (multiply and add counted separately);
 *   b) `memorize`'s per-neuron pass (draw w on the sphere, features at m points, α(w),
 *      rounding), in ns a neuron;
 *   c) seeds/s for a cell of each quick trial (trials/quick/neuron-rf.json,
 *      trials/quick/memorize.json) through the experiment's run().
 *
 * Usage: npm run build && node dist/bench/neuron.js [--quick]
 */
import { neuronRf } from '../src/experiments/neuron-rf.js';
import { memorize } from '../src/experiments/memorize.js';
import { featureMatrix, normalEquations } from '../src/nn/random-features.js';
import { roundedNetwork } from '../src/pruning/memorization.js';
import { NormalSampler, fillSphereRows } from '../src/rng/ziggurat.js';
import { Streams } from '../src/rng/streams.js';
import { Rng } from '../src/rng/rng.js';
import type { Activation } from '../src/nn/activations.js';

const quick = process.argv.includes('--quick');
const budgetMs = quick ? 300 : 1500;

/** Repeats `body` until `budgetMs` has passed (after one warm-up call); returns ms a call. */
function time(body: () => void): number {
  body();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    body();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  return elapsed / calls;
}

function kernelFigures(activation: Activation, n: number, d: number, N: number): void {
  const normals = new NormalSampler(new Rng(1, 2));
  const W = new Float64Array(n * d), X = new Float64Array(N * d), y = new Float64Array(N);
  fillSphereRows(normals, W, n, d);
  fillSphereRows(normals, X, N, d);
  for (let p = 0; p < N; p++) y[p] = normals.next();
  const phi = new Float64Array(N * n), gram = new Float64Array(n * n), moment = new Float64Array(n);
  const features = time(() => featureMatrix(activation, W, n, X, N, d, phi));
  const normal = time(() => normalEquations(phi, N, n, y, gram, moment));
  const featureFlops = 2 * N * n * d, normalFlops = 2 * N * ((n * (n + 1)) / 2 + n);
  console.log(
    `  ${activation.padEnd(8)} n = ${n}, d = ${d}, N = ${N}: features ${(featureFlops / features / 1e6).toFixed(2)} GFLOP/s` +
      ` (${((features * 1e6) / (N * n)).toFixed(1)} ns a feature value), normal equations ${(normalFlops / normal / 1e6).toFixed(2)} GFLOP/s`,
  );
}

function memorizePass(d: number, m: number, k: number): void {
  const normals = new NormalSampler(new Rng(3, 4));
  const points = new Float64Array(m * d);
  fillSphereRows(normals, points, m, d);
  const beta = Float64Array.from({ length: m }, (_, j) => (j % 2 ? -20 : 30));
  const ms = time(() => roundedNetwork(new Rng(5, 6), [new Rng(7, 8)], points, m, d, beta, 200, k));
  console.log(`  memorize pass d = ${d}, m = ${m}: ${((ms * 1e6) / k).toFixed(0)} ns a neuron`);
}

function seedsPerSecond(label: string, experiment: typeof neuronRf | typeof memorize, given: Record<string, unknown>): void {
  const params = experiment.resolve(given as never);
  let seed = 0;
  const ms = time(() => experiment.run(params as never, Streams.forSeed(0x1234, 0x5678, seed++)));
  console.log(`  ${label}: ${(1000 / ms).toFixed(2)} seeds/s (${ms.toFixed(1)} ms a seed)`);
}

console.log('a) dense features × points kernel');
kernelFigures('relu', 20, 5, 1000);
kernelFigures('tanh', 20, 5, 1000);
kernelFigures('relu', 100, 50, 1000);
console.log('b) memorize per-neuron pass');
memorizePass(10, 5, quick ? 20000 : 200000);
memorizePass(5, 10, quick ? 20000 : 200000);
console.log('c) seeds/s, one thread (quick-trial cells)');
const rf = { d: 5, n: 20, C: 2, epsilon: 0.5, delta: 0.1, activation: 'relu', loss: 'squared', anchors: 10, noise: 0, train_points: 500, test_points: 1000, max_width: 1e7 };
seedsPerSecond('neuron-rf groups = 25', neuronRf, { ...rf, groups: 25 });
seedsPerSecond('neuron-rf groups = 100', neuronRf, { ...rf, groups: 100 });
const mem = { d: 10, m: 5, points: 'uniform', separation: 0.1, clusters: 2, labels: 'sign', epsilon: 0.5, delta: 0.1, redraws: 0, max_width: 1e8 };
seedsPerSecond('memorize k = 1e5', memorize, { ...mem, k: 100000 });
seedsPerSecond('memorize k = 1e6', memorize, { ...mem, k: 1000000 });
