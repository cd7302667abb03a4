import { statfsSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';

/** A write that found the disk full: one line, exit 2; the journal was rolled back to its last complete record. */
export class DiskFullError extends UserError {
  constructor(readonly file: string, why: string) {
    super(`${file}: the disk is full (${why}); every finished batch is kept: free space, then re-run the same command to resume`);
  }
}

/** Free bytes on the file system holding `path` (its nearest existing ancestor), or null when unknown. */
export function freeBytes(path: string): number | null {
  if (process.env.LTH_TEST_FREE_BYTES) return Number(process.env.LTH_TEST_FREE_BYTES); // tests: a nearly full disk
  let p = resolve(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  try {
    const s = statfsSync(p);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/** "1.2 GB"-style size. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let u = 0;
  while (bytes >= 1000 && u < units.length - 1) { bytes /= 1000; u++; }
  return `${u === 0 ? bytes : bytes.toPrecision(3)} ${units[u]}`;
}
