import type { z } from 'zod';
import type { Streams } from '../rng/streams.js';
import type { CellStats, StatField } from '../stats/cell-stats.js';

/** A resolved parameter value. */
export type Value = number | string | boolean | null;

/** A per-seed column value: numbers only (booleans as 0/1); null is written as an empty CSV cell ("none"). */
export type Cell = number | null;

export interface ParamSpec {
  /** Schema of one value of the parameter (a sweep is an array of such values). */
  schema: z.ZodType;
  /** Default when the trial file omits it; `undefined` means required. */
  default?: unknown;
  /** Structural parameters decide what is sampled (part of the seed derivation). */
  structural: boolean;
  /** One line of meaning, shown by `lth list`. */
  doc: string;
  /** Human description of what is allowed, for error messages. */
  allowed: string;
  /** Integer-valued: `{"log": …}` sweeps round to integers. */
  integer?: boolean;
  /**
   * A file path (or a JSON object of paths) relative to the trial file: the loader rewrites it
   * relative to the working directory, and the configuration hash leaves it out (the
   * experiment's resolve() records the files' sha256 instead).
   */
  file?: boolean;
  /** Values of a file parameter that are names, not paths (e.g. "fashion-mnist"). */
  keywords?: string[];
  /**
   * Added to the experiment after results were published: when the trial file leaves it out
   * or gives only its default, the cells do not record it (no column, not in the structural
   * key or the configuration hash) and resolve() does not see it, so older trial files keep
   * their outputs and their hash byte for byte.
   */
  optional?: boolean;
  /**
   * One value is a JSON array (e.g. `classes: [0, 6]`; an array of such arrays is a sweep),
   * checked by `schema` and recorded as its JSON text, so every recorded value stays a scalar.
   */
  array?: boolean;
}

export interface ColumnSpec {
  name: string;
  doc: string;
  /** What a value may be (journal validation): 0/1, an integer, or any finite number (default). */
  type?: 'bool' | 'int' | 'real';
  /** Keep an exact per-cell histogram of this column (medians, quantile intervals, ECDF plots). */
  histogram?: boolean;
}

/** A per-seed quantity aggregated for the summary only (never written per seed). */
export interface DerivedStat extends StatField {
  value(row: Cell[]): number | null;
}

/**
 * An experiment: pure `run(params, streams) -> row`. It knows nothing of threads,
 * files, clocks or progress. `P` is the resolved parameter object of one cell.
 */
export interface Experiment<P extends Record<string, Value> = Record<string, Value>> {
  name: string;
  /** Bumped whenever the experiment's output for the same inputs changes (part of the config hash). */
  version: number;
  summary: string;
  /** Parameters in column order. `delta` is always present. */
  params: Record<string, ParamSpec>;
  /** Per-seed columns, in order, after the parameter columns of trials.csv. */
  columns: ColumnSpec[];
  /**
   * Fills derived values (e.g. k given as "theory") from the given values (defaults included).
   * `explicit`, when known, names the parameters the trial file itself gives (a value taken
   * from the data may require its parameter to be absent); without it, every value counts as given.
   */
  resolve(given: Record<string, Value>, explicit?: ReadonlySet<string>): P;
  /** One seed: every random draw comes from `streams`. Returns values in `columns` order. */
  run(params: P, streams: Streams): Cell[];
  /** Per-seed quantities aggregated beside the columns (e.g. a difference of two columns). */
  derived?: DerivedStat[];
  /** Per-cell columns of summary.csv after the common ones, from the cell's streaming aggregate. */
  summaryColumns: ColumnSpec[];
  summarize(params: P, stats: CellStats): Value[];
  /** Optional: a verbose account of one seed for `lth replay` (plain JSON). */
  explain?(params: P, streams: Streams): Record<string, unknown>;
  /**
   * The theorem's width for this cell (same unit as `widthParam`), or null when none applies.
   * Where it depends on each seed's draws (neuron experiments), `stats` (the cell's aggregate,
   * when known) give the median over seeds.
   */
  theoryWidth(params: P, stats?: CellStats): number | null;
  /** Extra summary columns shown in the report's theory-vs-measurement table (column name → heading). */
  theoryExtras?: Record<string, string>;
  /** Name of the parameter that is the width the theorem speaks about (e.g. `k`). */
  widthParam: string;
  /** Optional closed form P(success at width) for a cell, drawn as the exact curve in plots. */
  exactSuccess?(params: P, width: number): number;
}
