import { widthOf, type AtlasGroup, type WidthKind } from './groups.js';
import { fit, type FitPoint, type FitResult } from './fit.js';

/**
 * The atlas's scaling laws (issue 16 item 4): which groups feed which fit, the regressors
 * read from each group's parameters, and the responses fitted on the same groups — the
 * measured minimal widths (with bootstrap intervals) and the theorem's own widths, so the
 * exponents of the theorem are read off the same grid as the measured ones.
 */
export interface LawSpec {
  name: string;
  /** Trials whose groups enter the fit. */
  trials: RegExp;
  where?: (g: AtlasGroup) => boolean;
  regressors: string[];
  x: (g: AtlasGroup) => number[];
  /** Fit width itself against ln(1/ε) instead of log width (Pensia et al.'s logarithmic form). */
  linear?: boolean;
  responses: Response[];
  /** What the theory predicts for the exponents, in words (printed beside the fit). */
  expected: string;
}

export type Response = Exclude<WidthKind, 'sampled'>;

export const RESPONSE_TEXT: Record<Response, string> = {
  'per-weight': 'measured, per-weight rule (critical-width quantile)',
  global: 'measured, global criterion (certified critical-width quantile)',
  'smallest-above': 'measured (smallest tested width with CI ≥ 1 − δ)',
  theorem: "theorem's width",
  exact: 'exact width (closed form)',
};

const p = (g: AtlasGroup, name: string) => Number(g.row.group[name]);
const logInv = (g: AtlasGroup) => Math.log(1 / p(g, 'epsilon'));
const logLogDelta = (g: AtlasGroup) => Math.log(Math.log(1 / g.row.delta));

export const LAWS: LawSpec[] = [
  {
    name: 'single weight, pair rule',
    trials: /^lemma-pair$/,
    regressors: ['log(1/ε)', 'log log(1/δ)'],
    x: (g) => [logInv(g), logLogDelta(g)],
    responses: ['per-weight', 'exact', 'theorem'],
    expected: 'THEORY.md §4: the lemma\'s k = ⌈ln(2/δ)/q⌉ must hold for every w, so it takes the worst |w| = 1, q ≈ ε²/8: exponent 2 in 1/ε and ≈ 1 in log(1/δ). For one interior w, q ≈ ε·ln(1/|w|): exponent 1; w ~ U[-1,1] mixes the two (the weights near ±1 set the tail)',
  },
  {
    name: 'single weight, subset sums (direct, Pensia)',
    trials: /^lemma-subset-/,
    where: (g) => g.row.group.construction === 'direct',
    regressors: ['ln(1/ε)', 'log log(1/δ)'],
    x: (g) => [logInv(g), logLogDelta(g)],
    linear: true,
    responses: ['per-weight', 'smallest-above'],
    expected: 'Lueker / Pensia et al.: k = O(log(1/ε)) coefficients, so width grows linearly in ln(1/ε) (the coefficient is units per e-fold of 1/ε)',
  },
  {
    name: 'single weight, subset sums (product units)',
    trials: /^lemma-subset-/,
    where: (g) => g.row.group.construction === 'product',
    regressors: ['ln(1/ε)', 'log log(1/δ)'],
    x: (g) => [logInv(g), logLogDelta(g)],
    linear: true,
    responses: ['smallest-above'],
    expected: 'Pensia et al. (THEORY.md §7): O(log(1/ε)) units a weight, linear in ln(1/ε)',
  },
  {
    name: 'weight pruning, random targets, private blocks, pair rule',
    trials: /^prune-(l2|l3|pair)$/,
    regressors: ['log d', 'log n', 'log l', 'log(1/ε)', 'log log(1/δ)'],
    x: (g) => [Math.log(p(g, 'd')), Math.log(p(g, 'n')), Math.log(p(g, 'l')), logInv(g), logLogDelta(g)],
    responses: ['per-weight', 'global', 'theorem'],
    expected: 'THEORY.md §5: k = max_i ⌈ln(2N/δ)/q_i*⌉ with q_i* ≈ (τ_i/2)·ln(1/M_i), τ_i = ε/(2l·√(n_{i−1}n_i)), M_i = 1/√n_{i−1}: exponent 1 in 1/ε, about 1 in l, about ½ in d and n less the log factor ln(1/M_i), and ln(2N/δ) gives log(1/δ) an exponent below 1',
  },
  {
    name: 'neuron pruning ≈ random features',
    trials: /^neuron-rf/,
    regressors: ['log C', 'log n', 'log d'],
    x: (g) => [Math.log(p(g, 'C')), Math.log(p(g, 'n')), Math.log(p(g, 'd'))],
    responses: ['smallest-above', 'theorem'],
    expected: 'THEORY.md §8: T = ⌈6C²nB²/(δ(√ε − √ε̄)²)⌉ groups: exponent 2 in C and 1 in n (in groups T), none in d except through ε̄',
  },
  {
    name: 'memorization',
    trials: /^memorize$/,
    regressors: ['log m', 'log d'],
    x: (g) => [Math.log(p(g, 'm')), Math.log(p(g, 'd'))],
    responses: ['smallest-above', 'theorem'],
    expected: 'THEORY.md §9: k = ⌈72C²ln(2m/δ)/ε²⌉ with C = ‖H⁻¹y‖₁ growing with m (C ≤ m/λ)',
  },
];

export interface LawResult {
  spec: LawSpec;
  response: Response;
  result: FitResult;
  /** The groups that entered, with their measured and fitted widths (for the plot and traceability). */
  points: { label: string; measured: number; fitted: number }[];
}

function replicate(g: AtlasGroup, response: Response) {
  switch (response) {
    case 'per-weight': return g.replicate.perWeight ?? undefined;
    case 'global': return g.replicate.global ?? undefined;
    case 'smallest-above': return g.replicate.smallestAbove ?? undefined;
    default: return undefined;
  }
}

export function fitLaws(groups: AtlasGroup[]): LawResult[] {
  const out: LawResult[] = [];
  for (const spec of LAWS) {
    const chosen = groups.filter((g) => spec.trials.test(g.trial) && (spec.where?.(g) ?? true));
    for (const response of spec.responses) {
      const transform = (w: number | null) => (w === null || !(w > 0) ? null : spec.linear ? w : Math.log(w));
      const points: FitPoint[] = [];
      for (const g of chosen) {
        const y = transform(widthOf(g.row, response));
        if (y === null) continue;
        const redraw = replicate(g, response);
        points.push({
          label: `${g.trial}: ${Object.entries(g.row.group).map(([k, v]) => `${k}=${v}`).join(', ')}`,
          x: spec.x(g),
          y,
          replicate: redraw && ((rng) => transform(redraw(rng))),
        });
      }
      const result = fit(spec.regressors, points);
      if (!result) continue;
      const back = (y: number) => (spec.linear ? y : Math.exp(y));
      const used = points.filter((q) => Number.isFinite(q.y) && q.x.every(Number.isFinite));
      out.push({ spec, response, result, points: used.map((q, i) => ({ label: q.label, measured: back(q.y), fitted: back(result.fitted[i]) })) });
    }
  }
  return out;
}
