import type { Experiment, Value } from '../experiments/types.js';
import type { CellStats } from '../stats/cell-stats.js';
import { clopperPearson } from '../stats/clopper-pearson.js';
import { verdict, type Verdict } from '../stats/verdict.js';
import { confidenceSequence, anytimePValue } from '../stats/confidence-sequence.js';
import { binomialPValue } from '../stats/binomial.js';
import { holmRejections } from '../stats/holm.js';
import { csvLine, paramColumn, SUMMARY_COLUMNS } from './csv.js';

export type IntervalMethod = 'clopper-pearson' | 'confidence-sequence';

/** A cell as the summary needs it. */
export interface SummaryCell {
  index: number;
  params: Record<string, Value>;
}

/** One cell's line of summary.csv. */
export interface SummaryRecord {
  cell: SummaryCell;
  seeds: number;
  successes: number;
  low: number;
  high: number;
  method: IntervalMethod;
  /** Two-sided p-value of H₀: p = 1 − δ (exact binomial, or anytime-valid for confidence sequences). */
  pValue: number;
  verdict: Verdict;
  theoryWidth: number | null;
  extra: Value[];
  stats: CellStats;
}

export interface TrialSummary {
  experiment: Experiment;
  confidence: number;
  records: SummaryRecord[];
}

/**
 * The summary of one cell from its streaming aggregate (issue 12): seeds, successes, the
 * exact interval (Clopper–Pearson, or the confidence sequence for early-stopped cells),
 * the verdict against 1 − δ and the experiment's own columns. Both the run and the report
 * compute it this way, so the report never trusts summary.csv as written.
 */
export function summarizeCell(experiment: Experiment, cell: SummaryCell, stats: CellStats, confidence: number, stop: 'decided' | 'none'): SummaryRecord {
  const target = 1 - (cell.params.delta as number);
  const seeds = stats.seeds;
  const successes = stats.count('success') > 0 ? stats.sum('success') : 0;
  const method: IntervalMethod = stop === 'decided' ? 'confidence-sequence' : 'clopper-pearson';
  const interval = method === 'confidence-sequence' ? confidenceSequence(successes, seeds, confidence) : clopperPearson(successes, seeds, confidence);
  return {
    cell,
    seeds,
    successes,
    low: interval.low,
    high: interval.high,
    method,
    pValue: seeds === 0 ? 1 : method === 'confidence-sequence' ? anytimePValue(successes, seeds, target) : binomialPValue(successes, seeds, target),
    verdict: seeds > 0 ? verdict(interval, target) : 'undecided',
    theoryWidth: experiment.theoryWidth(cell.params, stats),
    extra: experiment.summarize(cell.params, stats),
    stats,
  };
}

/**
 * Holm's procedure over every cell of the run (DESIGN.md --family-wise holm): a cell keeps
 * a verdict only if its hypothesis p = 1 − δ is rejected by Holm at α = 1 − confidence
 * (the smallest α when trials differ); the direction is that of p̂ against 1 − δ.
 */
export function applyHolm(summaries: TrialSummary[]): void {
  const records = summaries.flatMap((s) => s.records);
  if (records.length === 0) return;
  const alpha = Math.min(...summaries.map((s) => 1 - s.confidence));
  const rejected = holmRejections(records.map((r) => r.pValue), alpha);
  records.forEach((r, i) => {
    const target = 1 - (r.cell.params.delta as number);
    r.verdict = !rejected[i] || r.seeds === 0 ? 'undecided' : r.successes / r.seeds >= target ? 'above' : 'below';
  });
}

/** summary.csv's text: one line per cell. */
export function summaryCsv({ experiment, records }: TrialSummary, paramNames: string[]): string {
  const header = ['cell', ...paramNames.map(paramColumn), ...SUMMARY_COLUMNS, ...experiment.summaryColumns.map((c) => c.name)];
  let text = header.join(',') + '\n';
  for (const r of records) {
    const target = 1 - (r.cell.params.delta as number);
    text += csvLine([
      r.cell.index,
      ...paramNames.map((n) => r.cell.params[n]),
      r.seeds,
      r.successes,
      r.seeds > 0 ? r.successes / r.seeds : null,
      r.low,
      r.high,
      r.method,
      target,
      r.verdict,
      r.theoryWidth,
      ...r.extra,
    ]);
  }
  return text;
}
