import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadRun } from '../report/load-run.js';
import { renderReport, reportJson } from '../report/markdown.js';
import { writePlots } from '../report/plots.js';
import { lockHolder, describeHolder } from '../harness/lock.js';
import { REPORT_MD, PLOTS } from '../run-dir/files.js';

/**
 * `lth report <run-dir>`: report.md and plots/ (or the same numbers as JSON on stdout).
 * On a directory another lth run is writing, it reads the latest checkpoint and prints
 * the report on stdout instead, writing nothing there (read-only, marked partial).
 */
export async function report(dir: string, format: 'md' | 'json'): Promise<string> {
  const holder = lockHolder(dir);
  const running = holder !== null && !(holder.pid === process.pid);
  const loaded = loadRun(dir, running);
  if (format === 'json') return JSON.stringify(reportJson(loaded), (_, v) => (v === Infinity ? 'Infinity' : v), 2) + '\n';
  if (running) {
    return `<!-- ${dir} is being written by ${describeHolder(holder!)}: a snapshot of its last checkpoint, nothing written -->\n` + renderReport(loaded, new Map());
  }
  mkdirSync(join(dir, PLOTS), { recursive: true });
  const plots = await writePlots(loaded, join(dir, PLOTS));
  writeFileSync(join(dir, REPORT_MD), renderReport(loaded, plots));
  return `${join(dir, REPORT_MD)}\n`;
}
