import type { Streams } from '../rng/streams.js';
import type { Rng } from '../rng/rng.js';
import { sphereKernel } from '../nn/kernel.js';
import { NormalSampler, fillSphereRows } from '../rng/ziggurat.js';
import { sampleTeacher, sampleLabeledPoints } from '../nn/teacher.js';
import { featureMatrix, normalEquations, modelOutputs, meanLoss, type Loss } from '../nn/random-features.js';
import { BoxLeastSquares } from './box-ls.js';
import { roundNeurons, roundingScale, roundingVariance, roundingVarianceOnSample } from './neuron-selection.js';
import { drawWithReplacement, type TwoClassSphere } from '../data/two-class-sphere.js';
import { activationBound, type Activation } from '../nn/activations.js';

/** What the construction reads of a `neuron-rf` cell (the experiment's parameters satisfy it). */
export interface RfConstructionParams {
  d: number;
  n: number;
  C: number;
  groups: number | 'theory';
  epsilon: number;
  delta: number;
  activation: Activation;
  loss: Loss;
  anchors: number;
  noise: number;
  train_points: number;
  test_points: number;
  max_width: number;
}

/**
 * One seed of `neuron-rf` (THEORY.md §8 "Construction"). Substreams:
 *   'teacher'       anchors, β, then the 10^4 normalization points (synthetic points only)
 *   'data', 'test'  the training and test samples (with data: i.i.d. indices into its points)
 *   'reference'     the reference model's n features
 *   'group', t      group t's n features (sphere) then its n out-weights u ~ U[−1, 1]
 *   'rounding', t   group t's n keep decisions
 * Group t never depends on T, so cells that differ only in `groups` share their first
 * groups and their rounding (common random numbers).
 *
 * Buffers are allocated once per seed; each group reuses them (features × points kernels
 * on Float64Array, no allocation in the group loop).
 */
export interface NeuronRfSeed {
  epsRf: number;
  referenceCoefficients: Float64Array;
  /** max |f_T| before normalization (NaN with data: no teacher). */
  teacherMax: number;
  /** Groups used, or null when groups = "theory" and no T ≤ max_width/n meets §8's bound (nothing reported). */
  T: number | null;
  /** §8's width in groups with ε̄' = `meanGroupLoss` (null: ε ≤ ε̄', absolute loss, or none within max_width). */
  theoryGroups: number | null;
  /** ε̄': mean over the T groups of their test losses (squared or absolute, as `loss`). */
  meanGroupLoss: number;
  success: boolean;
  loss: number;
  lossSe: number;
  groupsLoss: number;
  excessExpected: number;
  kept: number;
  c: number;
  /** Fitted coefficients of the first few groups (for replay). */
  firstGroups: Float64Array[];
  /** With `record`: every kept neuron as drawn, and the test sample. */
  keptNeurons?: { group: number; index: number; w: Float64Array; u: number }[];
  testPoints?: Float64Array;
  testLabels?: Float64Array;
}

/** Group t's random neurons, in the documented order: n sphere features, then n out-weights. */
export function drawGroup(rng: Rng, n: number, d: number, features: Float64Array, outWeights: Float64Array): void {
  fillSphereRows(new NormalSampler(rng), features, n, d);
  for (let i = 0; i < n; i++) outWeights[i] = rng.weight();
}

/**
 * §8's width bound in groups: ⌈6·C²·n·B²/(δ·(√ε − √ε̄')²)⌉ with ε̄' the mean test loss of
 * the seed's groups, or null when ε ≤ ε̄' or the loss is absolute. With ε̄' = 0 it is the
 * smallest width any seed can need (resolve()'s guard).
 */
export function theoryGroups(p: RfConstructionParams, meanGroupLoss: number): number | null {
  if (p.loss !== 'squared' || !(p.epsilon > meanGroupLoss)) return null;
  const B = activationBound(p.activation);
  const gap = Math.sqrt(p.epsilon) - Math.sqrt(meanGroupLoss);
  return Math.ceil((6 * p.C * p.C * p.n * B * B) / (p.delta * gap * gap));
}

/**
 * The seed. With groups = T, T groups are built and the theory width uses their mean
 * loss. With groups = "theory", groups are built one by one until the first T with
 * T ≥ theoryGroups(mean loss of those T groups): T depends only on the features and
 * fits, never on the rounding, so Markov's bound of §8 still holds given them. When no
 * T ≤ max_width/n qualifies (e.g. ε ≤ ε̄'), nothing is reported (T = null).
 */
export function neuronRfSeed(p: RfConstructionParams, streams: Streams, options: { record?: boolean; data?: TwoClassSphere | null } = {}): NeuronRfSeed {
  const { d, n, C, activation, loss } = p;
  const Ntr = p.train_points, Nte = p.test_points;
  const trainX = new Float64Array(Ntr * d), trainY = new Float64Array(Ntr);
  const testX = new Float64Array(Nte * d), testY = new Float64Array(Nte);
  const data = options.data ?? null;
  // synthetic: E_x σ(⟨w,x⟩)² is the kernel's diagonal for every unit w; with data, each feature's test-sample mean
  let secondMoment = NaN, teacherMax = NaN;
  if (data) {
    drawWithReplacement(streams.get('data'), data, Ntr, trainX, trainY);
    drawWithReplacement(streams.get('test'), data, Nte, testX, testY);
  } else {
    const kernel = sphereKernel(activation, d);
    const teacher = sampleTeacher(streams.get('teacher'), kernel, d, p.anchors);
    sampleLabeledPoints(streams.get('data'), teacher, p.noise, Ntr, trainX, trainY);
    sampleLabeledPoints(streams.get('test'), teacher, p.noise, Nte, testX, testY);
    secondMoment = kernel.diagonal;
    teacherMax = 1 / teacher.scale;
  }

  const features = new Float64Array(n * d), outWeights = new Float64Array(n), coefs = new Float64Array(n);
  const phiTrain = new Float64Array(Ntr * n), phiTest = new Float64Array(Nte * n);
  const gram = new Float64Array(n * n), moment = new Float64Array(n);
  const fitter = new BoxLeastSquares(n);
  const predictions = new Float64Array(Nte);

  /** Fits coefficients in [−C, C]^n for `features` on the training sample; leaves Φ_test in phiTest. */
  const fit = (out: Float64Array) => {
    featureMatrix(activation, features, n, trainX, Ntr, d, phiTrain);
    normalEquations(phiTrain, Ntr, n, trainY, gram, moment);
    fitter.solve(gram, moment, C, out);
    featureMatrix(activation, features, n, testX, Nte, d, phiTest);
  };

  // 1. reference
  fillSphereRows(new NormalSampler(streams.get('reference')), features, n, d);
  const referenceCoefficients = new Float64Array(n);
  fit(referenceCoefficients);
  modelOutputs(phiTest, Nte, n, referenceCoefficients, predictions);
  const epsRf = meanLoss(loss, predictions, testY, Nte).mean;
  const seed: NeuronRfSeed = {
    epsRf, referenceCoefficients, teacherMax, T: null, theoryGroups: null, meanGroupLoss: NaN,
    success: false, loss: NaN, lossSe: NaN, groupsLoss: NaN, excessExpected: NaN, kept: 0, c: NaN, firstGroups: [],
  };

  // 2–3. groups: fit, round, accumulate f̄, the group losses and the kept sum on the test points
  const byTheory = p.groups === 'theory';
  const maxGroups = byTheory ? Math.floor(p.max_width / n) : (p.groups as number);
  const groupAverage = new Float64Array(Nte), prunedSum = new Float64Array(Nte);
  const keep = new Uint8Array(n), keptCoef = new Float64Array(n);
  let kept = 0, variance = 0, groupLossSum = 0, T = 0;
  if (options.record) {
    seed.keptNeurons = [];
    seed.testPoints = testX;
    seed.testLabels = testY;
  }
  while (T < maxGroups) {
    const t = T++;
    drawGroup(streams.get('group', t), n, d, features, outWeights);
    fit(coefs);
    kept += roundNeurons(streams.get('rounding', t), coefs, outWeights, n, C, keep);
    variance += data ? roundingVarianceOnSample(coefs, n, C, phiTest, Nte) : roundingVariance(coefs, n, C, secondMoment, 1); // divided by T² below
    for (let i = 0; i < n; i++) keptCoef[i] = keep[i] ? outWeights[i] : 0;
    for (let q = 0; q < Nte; q++) {
      const base = q * n;
      let fv = 0, gv = 0;
      for (let i = 0; i < n; i++) {
        const phi = phiTest[base + i];
        fv += coefs[i] * phi;
        gv += keptCoef[i] * phi;
      }
      predictions[q] = fv;
      groupAverage[q] += fv;
      prunedSum[q] += gv;
    }
    groupLossSum += meanLoss(loss, predictions, testY, Nte).mean;
    if (t < 3) seed.firstGroups.push(Float64Array.from(coefs));
    if (options.record) {
      for (let i = 0; i < n; i++) {
        if (keep[i]) seed.keptNeurons!.push({ group: t, index: i, w: features.slice(i * d, (i + 1) * d), u: outWeights[i] });
      }
    }
    if (byTheory) {
      const needed = theoryGroups(p, groupLossSum / T);
      if (needed !== null && T >= needed) break;
    }
  }
  seed.meanGroupLoss = groupLossSum / T;
  seed.theoryGroups = theoryGroups(p, seed.meanGroupLoss);
  if (byTheory && (seed.theoryGroups === null || T < seed.theoryGroups)) {
    seed.theoryGroups = null; // no T ≤ max_width/n meets the bound
    return seed;
  }
  const c = roundingScale(C, T);
  for (let q = 0; q < Nte; q++) {
    groupAverage[q] /= T;
    predictions[q] = c * prunedSum[q];
  }
  const pruned = meanLoss(loss, predictions, testY, Nte);
  seed.T = T;
  seed.loss = pruned.mean;
  seed.lossSe = pruned.se;
  seed.groupsLoss = meanLoss(loss, groupAverage, testY, Nte).mean;
  seed.excessExpected = variance / (T * T);
  seed.kept = kept;
  seed.c = c;
  seed.success = pruned.mean <= p.epsilon;
  return seed;
}
