/**
 * Holm's step-down procedure (S. Holm, "A simple sequentially rejective multiple test
 * procedure", Scand. J. Statist. 6, 1979): with p-values sorted ascending,
 * p_(1) ≤ … ≤ p_(m), reject H_(j) while p_(j) ≤ α/(m − j + 1) and stop at the first
 * that fails. Controls the family-wise error rate at α under any dependence.
 * Returns, per hypothesis in the input order, whether it is rejected.
 */
export function holmRejections(pValues: number[], alpha: number): boolean[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i] - pValues[j] || i - j);
  const rejected = new Array<boolean>(m).fill(false);
  for (let rank = 0; rank < m; rank++) {
    const i = order[rank];
    if (pValues[i] > alpha / (m - rank)) break;
    rejected[i] = true;
  }
  return rejected;
}
