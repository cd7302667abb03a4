/** The median of finite values (mean of the middle two for an even count); null when there are none or it is not finite. */
export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const value = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  return Number.isFinite(value) ? value : null;
}
