import { ExactSum } from './exact-sum.js';
import { Histogram } from './histogram.js';

/** What is aggregated about one quantity: a per-seed column or a derived per-seed value. */
export interface StatField {
  name: string;
  /** Keep an exact histogram (medians, quantiles with intervals, ECDF plots). */
  histogram?: boolean;
}

/** One quantity's aggregate over the seeds of a cell. */
class FieldStats {
  count = 0; // non-null values
  nulls = 0;
  sum = new ExactSum();
  min: number | null = null;
  max: number | null = null;
  hist: Histogram | null;
  constructor(histogram: boolean) {
    this.hist = histogram ? new Histogram() : null;
  }
}

export interface FieldJson {
  n: number;
  nulls: number;
  sum: ReturnType<ExactSum['toJSON']>;
  min: number | string | null;
  max: number | string | null;
  hist?: (number | string)[][];
}

export interface CellStatsJson {
  seeds: number;
  fields: Record<string, FieldJson>;
}

const encode = (x: number | null) => (x === null || Number.isFinite(x) ? x : String(x));
const decode = (x: number | string | null) => (x === null ? null : Number(x));

/**
 * The streaming aggregate of one cell (issue 12): per column, the count of values and of
 * nulls, an exact order-independent sum, min, max, and — for histogram columns — an exact
 * value histogram. Everything summary.csv, the quantile intervals, the ECDF plots and the
 * report need; merging two aggregates gives the bytes a single pass would, whatever the
 * split (threads, batches, kills, shards).
 */
export class CellStats {
  seeds = 0;
  private readonly byName = new Map<string, FieldStats>();
  private readonly order: FieldStats[];

  constructor(readonly fields: StatField[]) {
    this.order = fields.map((f) => {
      const s = new FieldStats(!!f.histogram);
      this.byName.set(f.name, s);
      return s;
    });
  }

  /** Adds one seed: `values` in `fields` order; null (or NaN) means "none". */
  add(values: ArrayLike<number | null>): void {
    this.seeds++;
    for (let j = 0; j < this.order.length; j++) {
      const s = this.order[j];
      const v = values[j];
      if (v === null || v === undefined || Number.isNaN(v)) {
        s.nulls++;
        continue;
      }
      s.count++;
      s.sum.add(v);
      if (s.min === null || v < s.min) s.min = v;
      if (s.max === null || v > s.max) s.max = v;
      s.hist?.add(v);
    }
  }

  merge(other: CellStats): void {
    this.seeds += other.seeds;
    this.order.forEach((s, j) => {
      const o = other.order[j];
      s.count += o.count;
      s.nulls += o.nulls;
      s.sum.merge(o.sum);
      if (o.min !== null && (s.min === null || o.min < s.min)) s.min = o.min;
      if (o.max !== null && (s.max === null || o.max > s.max)) s.max = o.max;
      if (s.hist && o.hist) s.hist.merge(o.hist);
    });
  }

  private field(name: string): FieldStats {
    const s = this.byName.get(name);
    if (!s) throw new Error(`no aggregate for column "${name}"`);
    return s;
  }

  /** Seeds with a value (not "none") in this column. */
  count(name: string): number {
    return this.field(name).count;
  }

  /** Exact sum of the values, correctly rounded. */
  sum(name: string): number {
    return this.field(name).sum.value();
  }

  /** Mean of the values (none excluded); null when there are none. */
  mean(name: string): number | null {
    const s = this.field(name);
    return s.count > 0 ? s.sum.value() / s.count : null;
  }

  max(name: string): number | null {
    return this.field(name).max;
  }

  min(name: string): number | null {
    return this.field(name).min;
  }

  /** The exact histogram of a histogram column; `nullAs: "infinity"` counts "none" as +∞. */
  histogram(name: string, nullAs: 'skip' | 'infinity' = 'skip'): Histogram {
    const s = this.field(name);
    if (!s.hist) throw new Error(`column "${name}" keeps no histogram`);
    if (nullAs === 'skip' || s.nulls === 0) return s.hist;
    const h = new Histogram();
    h.merge(s.hist);
    h.add(Infinity, s.nulls);
    return h;
  }

  /** Median of a histogram column (mean of the middle two); null when empty or not finite. */
  median(name: string, nullAs: 'skip' | 'infinity' = 'skip'): number | null {
    return this.histogram(name, nullAs).median();
  }

  toJSON(): CellStatsJson {
    const fields: Record<string, FieldJson> = {};
    this.fields.forEach((f, j) => {
      const s = this.order[j];
      fields[f.name] = { n: s.count, nulls: s.nulls, sum: s.sum.toJSON(), min: encode(s.min), max: encode(s.max), ...(s.hist ? { hist: s.hist.toJSON() } : {}) };
    });
    return { seeds: this.seeds, fields };
  }

  /** Rebuilds an aggregate; throws a plain Error describing the first inconsistency (callers name the file). */
  static fromJSON(fields: StatField[], json: CellStatsJson): CellStats {
    const stats = new CellStats(fields);
    if (!json || typeof json.seeds !== 'number' || !Number.isInteger(json.seeds) || json.seeds < 0) throw new Error('seeds is not a count');
    stats.seeds = json.seeds;
    fields.forEach((f, j) => {
      const data = json.fields?.[f.name];
      if (!data) throw new Error(`no aggregate for column "${f.name}"`);
      const s = stats.order[j];
      if (!Number.isInteger(data.n) || !Number.isInteger(data.nulls) || data.n < 0 || data.nulls < 0 || data.n + data.nulls !== json.seeds) {
        throw new Error(`column "${f.name}": ${data.n} values + ${data.nulls} none ≠ ${json.seeds} seeds`);
      }
      s.count = data.n;
      s.nulls = data.nulls;
      s.sum = ExactSum.fromJSON(data.sum);
      s.min = decode(data.min);
      s.max = decode(data.max);
      if (s.hist) {
        if (!data.hist) throw new Error(`column "${f.name}": histogram missing`);
        s.hist = Histogram.fromJSON(data.hist);
        if (s.hist.total !== data.n) throw new Error(`column "${f.name}": histogram holds ${s.hist.total} values, not ${data.n}`);
      }
    });
    return stats;
  }
}
