import type { Value } from '../experiments/types.js';

/**
 * Sweep specifications in trial files (DESIGN.md, README "Sweeps"):
 *   [a, b, c]                  the listed values;
 *   {"log": [from, to, count]} from·(to/from)^(j/(count−1)), j = 0…count−1;
 *   {"range": [from, to, step]} from + j·step while ≤ to (to included within 10⁻⁹·step);
 *   a list may mix values and such objects.
 * Integer parameters are rounded and duplicates removed. Values are computed once and
 * rounded to 12 significant digits, so cell keys never depend on float drift.
 */
export type SweepResult = { values: Value[] } | { error: string };

/** Most values one sweep object may expand to (a `log` count or a `range` length). */
export const MAX_SWEEP_VALUES = 100000;

function clean(x: number, integer: boolean): number {
  return integer ? Math.round(x) : Number(x.toPrecision(12));
}

export function expandSweep(given: unknown, integer: boolean): SweepResult | null {
  if (Array.isArray(given)) {
    // a list may mix values and sweep objects: [{"log": [10, 1000, 3]}, "theory"]
    const values: Value[] = [];
    for (const item of given) {
      const inner = Array.isArray(item) ? null : expandSweep(item, integer);
      if (inner && 'error' in inner) return inner;
      if (inner) values.push(...inner.values); else values.push(item as Value);
    }
    return { values };
  }
  return expandObject(given, integer);
}

function expandObject(given: unknown, integer: boolean): SweepResult | null {
  if (typeof given !== 'object' || given === null) return null;
  const spec = given as Record<string, unknown>;
  const keys = Object.keys(spec);
  if (keys.length !== 1 || (keys[0] !== 'log' && keys[0] !== 'range')) return null;
  const args = spec[keys[0]];
  if (!Array.isArray(args) || args.length !== 3 || !args.every((a) => typeof a === 'number' && Number.isFinite(a))) {
    return { error: `{"${keys[0]}": [from, to, ${keys[0] === 'log' ? 'count' : 'step'}]} with three numbers` };
  }
  const [from, to, third] = args as number[];
  const values: number[] = [];
  if (keys[0] === 'log') {
    if (!(from > 0 && to > 0) || !Number.isInteger(third) || third < 1 || third > MAX_SWEEP_VALUES) {
      return { error: `{"log": [from, to, count]} with from, to > 0 and an integer count in [1, ${MAX_SWEEP_VALUES}]` };
    }
    for (let j = 0; j < third; j++) values.push(clean(third === 1 ? from : from * Math.pow(to / from, j / (third - 1)), integer));
  } else {
    if (!(third > 0) || to < from) return { error: '{"range": [from, to, step]} with step > 0 and to ≥ from' };
    const count = Math.floor((to - from) / third + 1e-9) + 1;
    if (count > MAX_SWEEP_VALUES) return { error: `{"range": …} with at most ${MAX_SWEEP_VALUES} values` };
    for (let j = 0; j < count; j++) values.push(clean(from + j * third, integer));
  }
  return { values: [...new Set(values)] };
}
