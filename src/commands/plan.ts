import { clopperPearson } from '../stats/clopper-pearson.js';
import { firstCheckpointAbove } from '../stats/sequential.js';

/**
 * `lth plan`: seeds needed before a cell can be declared `above`, for a fixed number of
 * seeds (Clopper–Pearson) and for early stopping (`--until-decided`: the confidence
 * sequence, examined at 64·2^j seeds), when the true success probability is 1 and when
 * it is 1 − δ/2 (along the typical path S = ⌊n·p⌋, so about half the runs need more).
 */
export interface PlanRow {
  method: 'clopper-pearson' | 'confidence-sequence';
  p: number;
  seeds: number | null;
}

const MAX = 2 ** 31;

function smallestN(ok: (n: number) => boolean): number | null {
  let hi = 1;
  while (!ok(hi)) {
    hi *= 2;
    if (hi > MAX) return null;
  }
  let lo = hi / 2;
  if (hi === 1) return 1;
  // ok is monotone enough along the typical path; bisect, then step down over rounding wiggles
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid; else lo = mid;
  }
  return hi;
}

export function planRows(delta: number, confidence: number): PlanRow[] {
  const target = 1 - delta;
  const rows: PlanRow[] = [];
  for (const p of [1, 1 - delta / 2]) {
    const above = (interval: { low: number }) => interval.low >= target;
    rows.push({ method: 'clopper-pearson', p, seeds: smallestN((n) => above(clopperPearson(Math.floor(n * p), n, confidence))) });
    rows.push({ method: 'confidence-sequence', p, seeds: firstCheckpointAbove(delta, confidence, p) });
  }
  return rows;
}

export function plan(delta: number, confidence: number): string {
  const lines = [`seeds per cell for an "above" verdict against 1 − δ = ${1 - delta} at confidence ${confidence}:`];
  for (const row of planRows(delta, confidence)) {
    const when = row.p === 1 ? 'true p = 1 (every seed succeeds)' : `true p = 1 − δ/2 = ${row.p} (typical path)`;
    const how = row.method === 'clopper-pearson' ? 'fixed seeds, Clopper–Pearson' : '--until-decided, confidence sequence at 64·2^j';
    lines.push(`  ${how.padEnd(48)} ${when.padEnd(44)} ${row.seeds === null ? `more than ${MAX}` : row.seeds}`);
  }
  return lines.join('\n') + '\n';
}
