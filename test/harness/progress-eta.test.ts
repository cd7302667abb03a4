/**
 * The progress ETA of a run whose cells cost very different amounts a seed (an atlas mixes
 * microsecond and multi-second seeds): each cell's remaining seeds are priced at its own
 * measured cost, an untimed cell at its trial's average, and trials not timed at all make
 * the ETA a stated lower bound instead of a wrong number.
 */
import { describe, it, expect } from 'vitest';
import { CostModel, Progress } from '../../src/harness/progress.js';

describe('CostModel', () => {
  it('prices remaining seeds per cell, untimed cells at their trial\'s average, and counts untimed trials', () => {
    // trial 0: cells 0 and 1; trial 1: cells 2 and 3
    const cost = new CostModel([{ trial: 0, remaining: 1000 }, { trial: 0, remaining: 1000 }, { trial: 1, remaining: 10 }, { trial: 1, remaining: 10 }]);
    expect(cost.remainingMs()).toEqual({ ms: 0, untimedTrials: 2 });
    cost.observe(0, 100, 100); // 1 ms a seed, 900 left
    expect(cost.remainingMs()).toEqual({ ms: 900 + 1000 * 1, untimedTrials: 1 }); // cell 1 at its trial's 1 ms
    cost.observe(1, 100, 1000); // 10 ms a seed, 900 left; trial 0 averages 1100 ms / 200 seeds
    expect(cost.remainingMs().ms).toBeCloseTo(900 * 1 + 900 * 10, 9);
    cost.observe(2, 2, 40_000); // 20 s a seed: the expensive trial now dominates
    const { ms, untimedTrials } = cost.remainingMs();
    expect(untimedTrials).toBe(0);
    expect(ms).toBeCloseTo(900 + 9000 + 8 * 20_000 + 10 * 20_000, 6);
    cost.skip(3, 10); // decided early: nothing left there
    expect(cost.remainingMs().ms).toBeCloseTo(900 + 9000 + 8 * 20_000, 6);
  });

  it('the log line says "≥" while a trial is untimed, and divides worker time by the threads', () => {
    const progress = new Progress({ quiet: true, logEvery: 30, total: 20, alreadyDone: 0, threads: 2, cells: [{ trial: 0, remaining: 10 }, { trial: 1, remaining: 10 }] });
    progress.add(5, 'a cell 0', 0, 50_000); // 10 s a seed: 5 seeds left = 50 s of worker time = 25 s on 2 threads
    expect(progress.eta()).toBe('≥ 25s (+1 trial not timed yet)');
    progress.add(5, 'b cell 0', 1, 500);
    expect(progress.eta()).toBe('25s');
  });
});
