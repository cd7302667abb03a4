import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Process-level helpers: tests run the built CLI (npm test builds first), the way a user does. */

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function lth(args: string[], cwd = ROOT, env: Record<string, string> = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function lthAsync(args: string[], cwd = ROOT): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(prefix = 'lth-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a trial file into `dir` and returns its path. */
export function writeTrial(dir: string, trial: object, file = 'trial.json'): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(trial, null, 2));
  return path;
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Parses a CSV written by the harness (no quoted fields in these tests) into records. */
export function parseCsv(text: string): Record<string, string>[] {
  const lines = text.trimEnd().split('\n');
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const fields = line.split(',');
    const record: Record<string, string> = {};
    header.forEach((name, j) => (record[name] = fields[j]));
    return record;
  });
}
