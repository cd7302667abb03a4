/**
 * Logarithmic binning of an exact histogram for the atlas's histogram files: 20 bins a
 * decade above 20, one bin a value below (critical widths are small integers there);
 * each bin reports the smallest and largest value it holds and its exact count. Zero,
 * negative and infinite values ("not reached") keep bins of their own.
 */
export interface Bin {
  from: number;
  to: number;
  count: number;
}

export function logBins(entries: Iterable<[number, number]>, perDecade = 20): Bin[] {
  const bins = new Map<string, Bin>();
  const key = (v: number) => (!Number.isFinite(v) || v <= 20 ? `v${v}` : `b${Math.floor(perDecade * Math.log10(v) + 1e-9)}`);
  for (const [value, count] of entries) {
    const k = key(value);
    const bin = bins.get(k);
    if (!bin) bins.set(k, { from: value, to: value, count });
    else {
      bin.from = Math.min(bin.from, value);
      bin.to = Math.max(bin.to, value);
      bin.count += count;
    }
  }
  return [...bins.values()].sort((a, b) => a.from - b.from);
}
