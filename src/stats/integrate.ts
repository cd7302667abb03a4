/**
 * Adaptive Gauss–Legendre quadrature: a 10-point rule on [a, b] is compared with the
 * same rule on both halves; intervals recurse until they agree within `tol`·(b − a)
 * (relative to the whole range) or depth 40. Handles the integrable log-kinks of
 * the pair formula at w = ±ε and w = ±(1 − ε) when those are piece ends.
 */
const NODES = [
  -0.9739065285171717, -0.8650633666889845, -0.6794095682990244, -0.4333953941292472, -0.1488743389816312,
  0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717,
];
const WEIGHTS = [
  0.0666713443086881, 0.1494513491505806, 0.219086362515982, 0.2692667193099963, 0.2955242247147529,
  0.2955242247147529, 0.2692667193099963, 0.219086362515982, 0.1494513491505806, 0.0666713443086881,
];

function rule(f: (x: number) => number, a: number, b: number): number {
  const mid = 0.5 * (a + b), half = 0.5 * (b - a);
  let s = 0;
  for (let j = 0; j < 10; j++) s += WEIGHTS[j] * f(mid + half * NODES[j]);
  return s * half;
}

export function integrate(f: (x: number) => number, a: number, b: number, tol = 1e-12): number {
  if (!(b > a)) return 0;
  const density = tol / (b - a);
  const recurse = (lo: number, hi: number, whole: number, depth: number): number => {
    const mid = 0.5 * (lo + hi);
    const left = rule(f, lo, mid), right = rule(f, mid, hi);
    if (depth >= 40 || Math.abs(left + right - whole) <= density * (hi - lo)) return left + right;
    return recurse(lo, mid, left, depth + 1) + recurse(mid, hi, right, depth + 1);
  };
  return recurse(a, b, rule(f, a, b), 0);
}

/** ∫ f over [a, b] split at the given breakpoints (those outside (a, b) are ignored). */
export function integratePiecewise(f: (x: number) => number, a: number, b: number, breaks: number[], tol = 1e-12): number {
  const points = [a, ...breaks.filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  let total = 0;
  for (let j = 0; j + 1 < points.length; j++) total += integrate(f, points[j], points[j + 1], tol);
  return total;
}
