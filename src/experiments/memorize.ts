import { z } from 'zod';
import type { Experiment, Cell, Value } from './types.js';
import type { Streams } from '../rng/streams.js';
import { UserError } from '../errors.js';
import { deltaParam, epsilonParam } from './common-params.js';
import {
  samplePoints, sampleLabels, interpolate, roundedNetwork, memorizeTheoryWidth, memorizeLambdaWidth,
  type PointKind, type LabelKind, type RoundedNetwork, type Interpolant,
} from '../pruning/memorization.js';
import { widthQuantile } from './width-quantile.js';
import { sphereDataParams, resolveSphereData, sphereDataOf } from './sphere-data-params.js';
import { drawWithoutReplacement } from '../data/two-class-sphere.js';

/**
 * `memorize`: finite-sample memorization with the efficient algorithm (THEORY.md §9).
 * Substreams: 'data' (points), 'labels', 'network' (neuron i: w_i then u_i, so width k is
 * the first k neurons of one stream), 'rounding', r (selection r's keep decisions).
 * Cells that differ only in k, ε, δ or redraws see the same points and network prefix.
 * With `data` (optional parameters, absent from synthetic cells): the m points are drawn
 * without replacement from the two classes' points on the sphere (src/data/two-class-sphere.ts)
 * with the 'data' stream, labels ±1 by class ('labels' is not used).
 */
export interface MemorizeParams extends Record<string, Value> {
  d: number;
  m: number;
  points: PointKind;
  separation: number;
  clusters: number;
  labels: LabelKind;
  k: number | 'theory';
  epsilon: number;
  delta: number;
  redraws: number;
  max_width: number;
}

export interface MemorizeSeed {
  points: Float64Array;
  labels: Float64Array;
  interpolant: Interpolant;
  theoryWidth: number | null;
  lambdaWidth: number | null;
  /** Width used, or null when H is singular (nothing built). */
  width: number | null;
  network: RoundedNetwork | null;
  /** Index of the reported selection: the first successful one, else the last. */
  selection: number;
  maxError: number | null;
  success: boolean;
}

/** Everything about one seed (shared by run(), replay and the tests). */
export function memorizeSeed(p: MemorizeParams, streams: Streams, record = false): MemorizeSeed {
  const { d, m } = p;
  const points = new Float64Array(m * d), labels = new Float64Array(m);
  const data = sphereDataOf(p);
  if (data) {
    drawWithoutReplacement(streams.get('data'), data, m, points, labels);
  } else {
    samplePoints(streams.get('data'), p.points, m, d, p.separation, p.clusters, points);
    sampleLabels(streams.get('labels'), p.labels, m, labels);
  }
  const interpolant = interpolate(points, labels, m, d);
  const singular = interpolant.beta === null;
  const theoryWidth = singular ? null : memorizeTheoryWidth(interpolant.C, m, p.epsilon, p.delta);
  const lambdaWidth = singular ? null : memorizeLambdaWidth(interpolant.lambdaMin, m, p.epsilon, p.delta);
  const seed: MemorizeSeed = { points, labels, interpolant, theoryWidth, lambdaWidth, width: null, network: null, selection: 0, maxError: null, success: false };
  if (singular) return seed;
  const width = p.k === 'theory' ? theoryWidth! : p.k;
  if (width > p.max_width) {
    throw new Error(`memorize: k "theory" is ${width} for this seed (C = ${interpolant.C}), above max_width = ${p.max_width}; raise max_width or give k as a number`);
  }
  const roundings = [];
  for (let r = 0; r <= p.redraws; r++) roundings.push(streams.get('rounding', r));
  const network = roundedNetwork(streams.get('network'), roundings, points, m, d, interpolant.beta!, interpolant.C, width, record);
  let selection = p.redraws, maxError = 0;
  for (let r = 0; r <= p.redraws; r++) {
    let error = 0;
    for (let j = 0; j < m; j++) error = Math.max(error, Math.abs(network.outputs[r * m + j] - labels[j]));
    maxError = error;
    if (error <= p.epsilon) {
      selection = r;
      break;
    }
  }
  return { ...seed, width, network, selection, maxError, success: maxError <= p.epsilon };
}

export const memorize: Experiment<MemorizeParams> = {
  name: 'memorize',
  version: 2,
  summary: 'finite-sample memorization (THEORY.md §9): prune a width-k random ReLU net (w on the sphere, u ~ U[-1,1]) by rounding α(w) = Σβ_jσ(⟨w,x_j⟩), β = H⁻¹y; is max_j |c·ḡ(x_j) − y_j| ≤ ε?',
  params: {
    d: { schema: z.number().int().min(2).max(10000), default: 10, structural: true, doc: 'input dimension (points and w on S^{d−1}); with data: the data\'s dimension (leave d out, or give exactly that)', allowed: 'an integer in [2, 10000]', integer: true },
    m: { schema: z.number().int().min(1).max(2000), default: 5, structural: true, doc: 'number of points to memorize (with data: at most the number of points of the two classes)', allowed: 'an integer in [1, 2000]', integer: true },
    points: {
      schema: z.enum(['uniform', 'clustered']),
      default: 'uniform',
      structural: true,
      doc: 'synthetic points: "uniform" on the sphere, or "clustered" around `clusters` random centers at least `separation` apart',
      allowed: '"uniform" or "clustered"',
    },
    separation: {
      schema: z.number().gt(0).max(1),
      default: 0.1,
      structural: true,
      doc: 'clustered points: minimum Euclidean distance between any two points (smaller: smaller λ_min(H))',
      allowed: 'a number in (0, 1]',
    },
    clusters: { schema: z.number().int().min(1).max(2000), default: 2, structural: true, doc: 'clustered points: number of cluster centers', allowed: 'an integer in [1, 2000]', integer: true },
    labels: {
      schema: z.enum(['sign', 'uniform']),
      default: 'sign',
      structural: true,
      doc: 'synthetic points: "sign": y = ±1 with probability ½; "uniform": y ~ U[−1, 1] (with data: ±1 by class)',
      allowed: '"sign" or "uniform"',
    },
    k: {
      schema: z.union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.literal('theory')]),
      default: 100000,
      structural: false,
      doc: 'width of the random net, or "theory": this seed\'s ⌈72C²ln(2m/δ)/ε²⌉',
      allowed: 'an integer ≥ 1 or "theory"',
      integer: true,
    },
    epsilon: epsilonParam(0.5),
    delta: deltaParam,
    redraws: {
      schema: z.number().int().min(0).max(1000),
      default: 0,
      structural: false,
      doc: 'R > 0: redraw the selection (keep decisions) up to R times until success (0: off)',
      allowed: 'an integer in [0, 1000]',
      integer: true,
    },
    max_width: {
      schema: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
      default: 1e8,
      structural: false,
      doc: 'guard: a width above this is refused (every neuron is evaluated at every point: ≈ 0.2 µs a neuron at d = 10, m = 5)',
      allowed: 'an integer ≥ 1',
      integer: true,
    },
    ...sphereDataParams('Each seed memorizes m of these points, drawn without replacement, y = ±1 by class; points, separation, clusters and labels do not apply.'),
  },
  columns: [
    { name: 'success', type: 'bool', doc: '1 when max_j |c·ḡ(x_j) − y_j| ≤ ε (for some selection, with redraws)' },
    { name: 'lambda_min', histogram: true, doc: 'λ_min of the closed-form Gram matrix H of the seed\'s points, synthetic or real (ml-matrix eigendecomposition)' },
    { name: 'C', histogram: true, doc: '‖β‖₁, β = H⁻¹y (empty when H is singular)' },
    { name: 'max_error', doc: 'max_j |c·ḡ(x_j) − y_j| of the reported selection (empty when H is singular)' },
    { name: 'theory_width', type: 'int', histogram: true, doc: '⌈72C²ln(2m/δ)/ε²⌉ with this seed\'s C' },
    { name: 'theory_width_lambda', type: 'int', histogram: true, doc: '⌈72m²ln(2m/δ)/(λ²ε²)⌉, the same with C ≤ m/λ' },
    { name: 'redraws', type: 'int', doc: 'redraws used: index of the first successful selection, R when none (empty when redraws = 0)' },
    { name: 'kept', type: 'int', doc: 'neurons kept by the reported selection' },
    { name: 'width', type: 'int', doc: 'k used by this seed (k = "theory": its theory_width)' },
  ],
  resolve(given, explicit) {
    const data = resolveSphereData(given, explicit, memorize.params, ['points', 'separation', 'clusters', 'labels']);
    const p = { ...given, ...data?.record } as MemorizeParams;
    if (data && p.m > data.source.count) {
      throw new UserError(`params.m must be at most ${data.source.count} with this data (the points of its two classes) (got ${p.m})`);
    }
    if (typeof p.k === 'number' && p.k > p.max_width) {
      throw new UserError(`memorize: width k = ${p.k} is above max_width = ${p.max_width}; lower k or raise max_width`);
    }
    if (p.k === 'theory' && p.labels === 'sign') {
      // ±1 labels: C ≥ yᵀH⁻¹y ≥ ‖y‖²/λ_max(H) ≥ ‖y‖²/tr(H) = 2d, so every seed needs at least this width
      const atLeast = memorizeTheoryWidth(2 * p.d, p.m, p.epsilon, p.delta);
      if (atLeast > p.max_width) {
        throw new UserError(`memorize: k "theory" is at least ${atLeast} for ±1 labels (C ≥ 2d), above max_width = ${p.max_width}; raise epsilon or max_width`);
      }
    }
    return p;
  },
  run(p, streams): Cell[] {
    const s = memorizeSeed(p, streams);
    return [
      s.success ? 1 : 0,
      s.interpolant.lambdaMin,
      s.interpolant.beta === null ? null : s.interpolant.C,
      s.maxError,
      s.theoryWidth,
      s.lambdaWidth,
      p.redraws > 0 && s.network ? s.selection : null,
      s.network ? s.network.kept[s.selection] : null,
      s.width,
    ];
  },
  summaryColumns: [
    { name: 'median_theory_width', doc: 'median over seeds of theory_width (realized C; seeds without one count as +∞)' },
    { name: 'quantile_theory_width', doc: '(1 − δ)-quantile over seeds of theory_width (seeds without one count as +∞): theory_width of the cell' },
    { name: 'median_theory_width_lambda', doc: 'median over seeds of theory_width_lambda (C ≤ m/λ)' },
    { name: 'median_C', doc: 'median ‖β‖₁' },
    { name: 'median_lambda_min', doc: 'median λ_min(H)' },
    { name: 'mean_max_error', doc: 'mean of max_error' },
    { name: 'mean_redraws', doc: 'mean redraws used (empty when off)' },
  ],
  summarize(p, stats) {
    return [stats.median('theory_width', 'infinity'), widthQuantile(stats, 'theory_width', p.delta), stats.median('theory_width_lambda', 'infinity'), stats.median('C', 'infinity'),
      stats.median('lambda_min'), stats.mean('max_error'), p.redraws > 0 ? stats.mean('redraws') : null];
  },
  // per seed (it depends on the realized C): the (1 − δ)-quantile over seeds, so a cell at least
  // that wide gives ≥ 1 − δ of its seeds their own theorem's width; seeds without one (H singular) count as +∞
  theoryWidth: (p, stats) => {
    const q = stats ? widthQuantile(stats, 'theory_width', p.delta) : null;
    return q === null ? null : Math.ceil(q);
  },
  theoryExtras: { median_theory_width: "theorem's width (median)", median_theory_width_lambda: "theorem's width, m/λ form (median)", median_lambda_min: 'median λ', median_C: 'median C' },
  widthParam: 'k',
  explain(p, streams) {
    const s = memorizeSeed(p, streams);
    const m = p.m;
    return {
      points: Array.from({ length: m }, (_, j) => Array.from(s.points.subarray(j * p.d, (j + 1) * p.d))),
      labels: Array.from(s.labels),
      gram: Array.from({ length: m }, (_, j) => Array.from(s.interpolant.gram.subarray(j * m, (j + 1) * m))),
      lambda_min: s.interpolant.lambdaMin,
      beta: s.interpolant.beta && Array.from(s.interpolant.beta),
      C: s.interpolant.C,
      width: s.width,
      c: s.network?.c ?? null,
      outputs: s.network ? Array.from(s.network.outputs.subarray(s.selection * m, (s.selection + 1) * m)) : null,
      selection: s.selection,
      kept: s.network ? s.network.kept[s.selection] : null,
      max_error: s.maxError,
    };
  },
};
