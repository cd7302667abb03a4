import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import type { LoadedRun, LoadedTrial } from './load-run.js';
import { num, cellWidth } from './load-run.js';
import { experiments } from '../experiments/index.js';
import { paramColumn } from '../run-dir/csv.js';
import type { Value } from '../experiments/types.js';
import { clopperPearson } from '../stats/clopper-pearson.js';

/**
 * Plots as vega-lite specs, rendered headless by vega to SVG and by resvg to PNG with
 * the DejaVu Sans file from `dejavu-fonts-ttf` and no system fonts, so the bytes are the
 * same on any machine. Plots draw aggregated data only (≤ ~1000 points a series).
 */
const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT = 'DejaVu Sans';
const MAX_POINTS = 1000;

const baseConfig = {
  font: FONT,
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 400 },
  title: { fontSize: 14 },
  view: { stroke: '#ccc' },
};

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...baseConfig, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [join(FONT_DIR, 'DejaVuSans.ttf'), join(FONT_DIR, 'DejaVuSans-Bold.ttf')],
      defaultFontFamily: FONT,
    },
    fitTo: { mode: 'zoom', value: 2 },
    background: 'white',
  });
  return resvg.render().asPng();
}

async function writePlot(dir: string, name: string, spec: TopLevelSpec): Promise<void> {
  const svg = await renderSvg(spec);
  writeFileSync(join(dir, `${name}.svg`), svg);
  writeFileSync(join(dir, `${name}.png`), svgToPng(svg));
}

/** Label of a group of cells: the parameters (other than the width) that vary in the trial. */
function groupLabels(trial: LoadedTrial, widthColumn: string): Map<string, string> {
  const names = Object.keys(trial.config.cells[0]?.params ?? {}).map(paramColumn).filter((c) => c !== widthColumn);
  const varying = names.filter((c) => new Set(trial.summary.map((s) => s[c])).size > 1);
  const labels = new Map<string, string>();
  for (const cell of trial.summary) labels.set(cell.cell, varying.length ? varying.map((c) => `${c}=${cell[c]}`).join(', ') : 'all cells');
  return labels;
}

function logScale(values: number[]): boolean {
  const finite = values.filter((v) => v > 0 && Number.isFinite(v));
  return finite.length > 1 && Math.max(...finite) / Math.min(...finite) >= 100;
}

function successVsWidth(trial: LoadedTrial, widthColumn: string, labels: Map<string, string>): TopLevelSpec {
  // the global criterion (THEORY.md §5b) draws two series: certified ≤ ε (its success) and sampled error ≤ ε (the bracket's upper side)
  const globalLabel = (c: Record<string, string>, what: string) =>
    `${labels.get(c.cell)} · ${labels.get(c.cell)!.includes('criterion=global') ? '' : 'global, '}${what}`;
  const series = (c: Record<string, string>) => (c.criterion === 'global' ? globalLabel(c, 'certified ≤ ε') : labels.get(c.cell));
  const finite = trial.summary.filter((c) => Number.isFinite(cellWidth(c, widthColumn)));
  const points = finite.map((c) => ({
    group: series(c), width: cellWidth(c, widthColumn), p: num(c.p_hat), low: num(c.ci_low), high: num(c.ci_high),
  }));
  for (const c of finite) {
    const x = num(c.sampled_successes), n = Number(c.seeds);
    if (c.criterion !== 'global' || x === null || !(n > 0)) continue;
    const ci = clopperPearson(x, n, trial.config.confidence);
    points.push({ group: globalLabel(c, 'sampled error ≤ ε'), width: cellWidth(c, widthColumn), p: x / n, low: ci.low, high: ci.high });
  }
  const targets = [...new Set(trial.summary.map((c) => Number(c.target)))].map((t) => ({ target: t }));
  const theory = [...new Map(trial.summary.filter((c) => c.theory_width !== '').map((c) => [series(c), Number(c.theory_width)])).entries()]
    .map(([group, width]) => ({ group, width }));
  const log = logScale([...points.map((p) => p.width), ...theory.map((t) => t.width)]);
  const x = { field: 'width', type: 'quantitative' as const, title: `width (${widthColumn}, units per block)`, scale: { type: log ? ('log' as const) : ('linear' as const) } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${trial.config.name}: success probability vs width`,
    width: 560,
    height: 320,
    layer: [
      { data: { values: points }, mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: { field: 'group', type: 'nominal', title: 'cell group' } } },
      { data: { values: points }, mark: { type: 'line', point: true }, encoding: { x, y: { field: 'p', type: 'quantitative', title: 'success probability (p̂, CI band)', scale: { domain: [0, 1] } }, color: { field: 'group', type: 'nominal' } } },
      { data: { values: targets }, mark: { type: 'rule', strokeDash: [6, 4], color: 'black' }, encoding: { y: { field: 'target', type: 'quantitative' } } },
      { data: { values: theory }, mark: { type: 'rule', strokeDash: [2, 2] }, encoding: { x: { field: 'width', type: 'quantitative' }, color: { field: 'group', type: 'nominal' } } },
    ],
  } as TopLevelSpec;
}

/** ECDF of the critical widths per group (downsampled to ≤ 1000 steps), with the exact curve where one exists. */
function criticalWidthEcdf(trial: LoadedTrial, widthColumn: string, labels: Map<string, string>): TopLevelSpec | null {
  if (!trial.critical) return null;
  const experiment = experiments[trial.config.experiment];
  const widest = new Map<string, Record<string, string>>();
  for (const cell of trial.summary) {
    const label = labels.get(cell.cell)!;
    const current = widest.get(label);
    if (!current || cellWidth(cell, widthColumn) > cellWidth(current, widthColumn)) widest.set(label, cell);
  }
  const ecdf: { group: string; width: number; F: number }[] = [];
  const exact: { group: string; width: number; F: number }[] = [];
  for (const [group, cell] of widest) {
    const all = trial.critical.get(Number(cell.cell));
    if (!all) continue;
    const n = all.total;
    const finite = all.countAtMost(Number.MAX_VALUE);
    if (finite === 0) continue;
    // the ECDF's steps from the exact histogram: the (j+1)-th smallest width at F = (j+1)/n
    const step = Math.max(1, Math.ceil(finite / MAX_POINTS));
    for (let j = step - 1; j < finite; j += step) ecdf.push({ group, width: all.at(j + 1), F: (j + 1) / n });
    const widths = [all.at(1), all.at(finite)];
    if (experiment.exactSuccess) {
      const params = trial.config.cells[Number(cell.cell)].params as Record<string, Value>;
      const lo = Math.max(1, widths[0]), hi = widths[widths.length - 1];
      for (let j = 0; j <= 100; j++) {
        const k = Math.round(lo * Math.pow(hi / lo, j / 100));
        const F = experiment.exactSuccess(params, k);
        if (Number.isFinite(F)) exact.push({ group, width: k, F }); // no closed form (e.g. subset sums): no curve
      }
    }
  }
  if (ecdf.length === 0) return null;
  const log = logScale(ecdf.map((p) => p.width));
  const x = { field: 'width', type: 'quantitative' as const, title: 'critical width K (smallest k at which the seed succeeds)', scale: { type: log ? ('log' as const) : ('linear' as const) } };
  const layers: unknown[] = [
    { data: { values: ecdf }, mark: { type: 'line', interpolate: 'step-after' }, encoding: { x, y: { field: 'F', type: 'quantitative', title: 'fraction of seeds with K ≤ width', scale: { domain: [0, 1] } }, color: { field: 'group', type: 'nominal', title: 'solid measured, dashed exact' } } },
  ];
  if (exact.length) layers.push({ data: { values: exact }, mark: { type: 'line', strokeDash: [5, 3] }, encoding: { x, y: { field: 'F', type: 'quantitative' }, color: { field: 'group', type: 'nominal' } } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${trial.config.name}: empirical CDF of critical widths`,
    width: 560,
    height: 320,
    layer: layers,
  } as TopLevelSpec;
}

/** weight-lemma: measured p̂ (with CI) against the closed form, one point per cell, and the diagonal. */
function measuredVsExact(trial: LoadedTrial): TopLevelSpec | null {
  if (!trial.summary.length || !('p_exact' in trial.summary[0])) return null;
  const points = trial.summary.filter((c) => c.p_exact !== '').map((c) => ({ exact: num(c.p_exact), p: num(c.p_hat), low: num(c.ci_low), high: num(c.ci_high) }));
  if (points.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${trial.config.name}: measured vs closed-form success`,
    width: 360,
    height: 360,
    layer: [
      { data: { values: [{ a: 0 }, { a: 1 }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'a', type: 'quantitative' } } },
      { data: { values: points }, mark: { type: 'rule' }, encoding: { x: { field: 'exact', type: 'quantitative' }, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      { data: { values: points }, mark: { type: 'point', filled: true }, encoding: { x: { field: 'exact', type: 'quantitative', title: 'exact P(success) (THEORY.md §4)', scale: { domain: [0, 1] } }, y: { field: 'p', type: 'quantitative', title: 'measured p̂ (CI)', scale: { domain: [0, 1] } } } },
    ],
  } as TopLevelSpec;
}

/** Writes every plot of every trial; returns the plot names per trial (without extension). */
export async function writePlots(loaded: LoadedRun, dir: string): Promise<Map<string, string[]>> {
  const written = new Map<string, string[]>();
  for (const trial of loaded.trials) {
    if (trial.summary.length === 0) continue;
    const widthColumn = paramColumn(experiments[trial.config.experiment].widthParam);
    const labels = groupLabels(trial, widthColumn);
    const names: string[] = [];
    const specs: [string, TopLevelSpec | null][] = [
      [`${trial.config.name}-success-vs-width`, successVsWidth(trial, widthColumn, labels)],
      [`${trial.config.name}-critical-width-ecdf`, criticalWidthEcdf(trial, widthColumn, labels)],
      [`${trial.config.name}-measured-vs-exact`, measuredVsExact(trial)],
    ];
    for (const [name, spec] of specs) {
      if (!spec) continue;
      await writePlot(dir, name, spec);
      names.push(name);
    }
    written.set(trial.config.name, names);
  }
  return written;
}
