import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Process-level helpers: tests run the built CLI (npm test builds first), the way a user does. */

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli.js');

export interface CliResult {
  code: number | null;
  /** The signal that ended the child, when it did not exit by itself. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A process test's worst failure is a child that died of a signal with nothing shown
 * ("expected null to be 0"). So a child killed by a signal throws here, naming the signal,
 * the command and its stderr. No timeout is set: spawnSync's timeout would kill the child
 * with SIGTERM and turn a slow machine into that very failure; a hung child is the test
 * runner's to report.
 */
export function lth(args: string[], cwd = ROOT, env: Record<string, string> = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw new Error(`lth ${args.join(' ')}: could not run (${result.error.message})\nstderr:\n${result.stderr ?? ''}`);
  if (result.status === null) {
    throw new Error(`lth ${args.join(' ')}: killed by ${result.signal}\nstderr:\n${result.stderr}\nstdout (last 2000 characters):\n${result.stdout.slice(-2000)}`);
  }
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A readable failure for an unexpected exit status: the status, then the child's stderr. */
export function expectExit(result: CliResult, code: number): CliResult {
  if (result.code !== code) {
    throw new Error(`expected exit status ${code}, got ${result.code}${result.signal ? ` (${result.signal})` : ''}\nstderr:\n${result.stderr}`);
  }
  return result;
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
