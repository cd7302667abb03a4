import { existsSync, readFileSync } from 'node:fs';
import { RECORD_HEADER, decodeHeader } from '../../src/harness/record.js';

export interface JournalRecord {
  cell: number;
  firstPos: number;
  count: number;
  offset: number;
  bytes: number;
}

/**
 * The complete records of a journal.bin (a torn tail ignored), read independently of the
 * harness's reader: header line, then 32-byte record headers and payloads.
 */
export function journalRecords(file: string): JournalRecord[] {
  if (!existsSync(file)) return [];
  const buffer = readFileSync(file);
  const newline = buffer.indexOf(10);
  if (newline < 0) return [];
  const out: JournalRecord[] = [];
  let offset = newline + 1;
  while (offset + RECORD_HEADER <= buffer.length) {
    const header = decodeHeader(buffer, offset);
    if (!header) break;
    const end = offset + RECORD_HEADER + header.payloadBytes;
    if (end > buffer.length) break;
    out.push({ cell: header.cell, firstPos: header.firstPos, count: header.count, offset, bytes: end - offset });
    offset = end;
  }
  return out;
}

/** Seeds the journal holds (unsharded runs: seed = position). */
export function journalSeedCount(file: string): number {
  return journalRecords(file).reduce((n, r) => n + r.count, 0);
}

/** Seed indices of every journaled seed (unsharded runs). */
export function journalSeeds(file: string): number[] {
  return journalRecords(file).flatMap((r) => Array.from({ length: r.count }, (_, j) => r.firstPos + j));
}
