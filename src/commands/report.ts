import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadRun } from '../report/load-run.js';
import { renderReport, reportJson } from '../report/markdown.js';
import { writePlots } from '../report/plots.js';

/** `lth report <run-dir>`: report.md and plots/ (or the same numbers as JSON on stdout). */
export async function report(dir: string, format: 'md' | 'json'): Promise<string> {
  const loaded = loadRun(dir);
  if (format === 'json') return JSON.stringify(reportJson(loaded), (_, v) => (v === Infinity ? 'Infinity' : v), 2) + '\n';
  mkdirSync(join(dir, 'plots'), { recursive: true });
  const plots = await writePlots(loaded, join(dir, 'plots'));
  writeFileSync(join(dir, 'report.md'), renderReport(loaded, plots));
  return `${join(dir, 'report.md')}\n`;
}
