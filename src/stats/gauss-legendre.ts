/** P_n(x) and P_n′(x) by the three-term recurrence (Legendre polynomials). */
function legendre(n: number, x: number): { p: number; dp: number } {
  let p0 = 1, p1 = x;
  for (let k = 2; k <= n; k++) {
    const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  return { p: p1, dp: (n * (x * p1 - p0)) / (x * x - 1) };
}

/** Nodes and weights of the n-point Gauss–Legendre rule on [0, 1] (Newton on P_n from Tricomi's initial guesses). */
export function gaussLegendre01(n: number): [Float64Array, Float64Array] {
  const nodes = new Float64Array(n), weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let iter = 0; iter < 100; iter++) {
      const { p, dp } = legendre(n, x);
      const dx = p / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    const { dp } = legendre(n, x);
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i] = (1 - x) / 2;
    nodes[n - 1 - i] = (1 + x) / 2;
    weights[i] = w / 2;
    weights[n - 1 - i] = w / 2;
  }
  return [nodes, weights];
}
