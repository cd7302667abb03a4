/**
 * Which cell's critical widths estimate a group's quantile: cells of a group share draws, so the
 * largest sample whose widths are all known is best. Under `--until-decided` the widest cell (at
 * the theorem's width) is often decided first, after 128 seeds, while the exact-width cell runs
 * to its cap: the quantile must come from the latter (it came from the former before).
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { lth, expectExit, tempDir, writeTrial } from '../helpers/cli.js';
import { lemmaExactWidth } from '../../src/pruning/pair-rule-theory.js';

const dir = tempDir();
const trial = writeTrial(dir, {
  name: 'decided', experiment: 'weight-lemma', seeds: 20000, delta: 0.1, stop: 'decided',
  params: { w: 0.5, epsilon: 0.1, k: ['theory', 'exact'] },
});
const out = join(dir, 'run');
const run = lth(['run', trial, '--out', out, '--quiet', '--rows', 'none']);

describe('theory vs measurement under --until-decided', () => {
  it('takes the quantile from the cell with the most seeds, not the widest (decided first)', () => {
    expectExit(run, 0);
    const json = JSON.parse(lth(['report', out, '--format', 'json']).stdout);
    const cells = json.trials[0].cells as { k: string; seeds: string }[];
    const seeds = cells.map((c) => Number(c.seeds));
    expect(Math.min(...seeds)).toBeLessThan(20000); // the theorem's width is decided early
    expect(Math.max(...seeds)).toBe(20000); // the exact width runs to the cap
    const row = json.trials[0].theory_vs_measurement[0] as { seeds: number; quantile: { value: number; low: number; high: number }; exactWidth: number };
    expect(row.seeds).toBe(20000);
    // and with 20 000 seeds the 0.9-quantile of the critical widths brackets the exact width (THEORY.md §4)
    expect(row.exactWidth).toBe(lemmaExactWidth(0.5, 0.1, 0.1));
    expect(row.quantile.low).toBeLessThanOrEqual(row.exactWidth);
    expect(row.quantile.high).toBeGreaterThanOrEqual(row.exactWidth);
  });
});
