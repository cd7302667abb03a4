import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync, fstatSync, existsSync, readFileSync } from 'node:fs';
import { errors } from '../errors.js';
import type { TrialSeal } from '../run-dir/run-json.js';
import type { TrialRun } from './trial-run.js';

const TAIL = 1 << 20;

/** sha256 of a file's last ≤ 1 MiB and its size: cheap for a journal of any length. */
function tail(file: string): { bytes: number; sha256: string } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL);
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) done += readSync(fd, buffer, done, length - done, size - length + done);
    return { bytes: size, sha256: createHash('sha256').update(buffer).digest('hex') };
  } finally {
    closeSync(fd);
  }
}

function sha256(file: string): string {
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : '';
}

/** What a completed trial's files look like (recorded in run.json). */
export function sealTrial(t: TrialRun): TrialSeal {
  const journal = tail(t.journalFile);
  return { journal_bytes: journal.bytes, journal_tail_sha256: journal.sha256, state_sha256: sha256(t.stateFile), rows_file_bytes: t.rowsFileBytes() };
}

/** Refuses a completed trial whose journal or checkpoint changed since it was sealed. */
export function checkSeal(t: TrialRun, seal: TrialSeal | undefined): void {
  if (!seal) return;
  if (!existsSync(t.journalFile)) throw errors.changedJournal(t.journalFile, 'it is missing');
  const journal = tail(t.journalFile);
  if (journal.bytes !== seal.journal_bytes) throw errors.changedJournal(t.journalFile, `${journal.bytes} bytes, sealed with ${seal.journal_bytes}`);
  if (journal.sha256 !== seal.journal_tail_sha256) throw errors.changedJournal(t.journalFile, 'its last block differs');
  if (sha256(t.stateFile) !== seal.state_sha256) throw errors.changedJournal(t.stateFile, 'its content differs');
}
