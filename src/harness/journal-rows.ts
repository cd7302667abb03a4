import { openSync, closeSync, readSync } from 'node:fs';
import { errors } from '../errors.js';
import { RECORD_HEADER, MAX_PAYLOAD, decodeHeader, recordCrc, type RecordHeader } from './record.js';
import { readAt } from './journal.js';

/** Where each batch's rows sit in a journal: the per-seed files are written from it, sorted by (cell, position). */
export class RecordIndex {
  cell = new Float64Array(1024);
  firstPos = new Float64Array(1024);
  offset = new Float64Array(1024);
  length = 0;
  push(cell: number, firstPos: number, offset: number): void {
    if (this.length === this.cell.length) {
      const grow = (a: Float64Array) => { const b = new Float64Array(a.length * 2); b.set(a); return b; };
      this.cell = grow(this.cell); this.firstPos = grow(this.firstPos); this.offset = grow(this.offset);
    }
    this.cell[this.length] = cell;
    this.firstPos[this.length] = firstPos;
    this.offset[this.length] = offset;
    this.length++;
  }
  sorted(): Uint32Array {
    const order = new Uint32Array(this.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    return order.sort((a, b) => this.cell[a] - this.cell[b] || this.firstPos[a] - this.firstPos[b]);
  }
}

/**
 * The records of a finished journal between its header line and `end` (the bytes its
 * checkpoint covers), headers only: how `lth merge` finds a shard's rows.
 */
export function indexJournal(file: string, end: number): RecordIndex {
  const index = new RecordIndex();
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(1 << 16);
    const n = readSync(fd, head, 0, head.length, 0);
    const newline = head.subarray(0, n).indexOf(10);
    if (newline < 0) throw errors.corruptJournal(file, 0, 'has no header line');
    const header = Buffer.allocUnsafe(RECORD_HEADER);
    let offset = newline + 1, number = 0;
    while (offset < end) {
      number++;
      readAt(fd, header, RECORD_HEADER, offset);
      const h = decodeHeader(header, 0);
      if (!h || h.payloadBytes > MAX_PAYLOAD) throw errors.corruptJournal(file, number, `record ${number} (byte ${offset}) has no valid record header`);
      index.push(h.cell, h.firstPos, offset);
      offset += RECORD_HEADER + h.payloadBytes;
    }
    if (offset !== end) throw errors.corruptJournal(file, number, `its records end at byte ${offset}, state.json says ${end}`);
  } finally {
    closeSync(fd);
  }
  return index;
}

/**
 * Reads whole records of a journal by offset, checksummed again. The buffer is its own
 * ArrayBuffer, so a binary row block (8-aligned in the record) can be viewed in place.
 */
export class JournalReader {
  private readonly fd: number;
  private buffer = Buffer.from(new ArrayBuffer(1 << 20));

  constructor(readonly file: string) {
    this.fd = openSync(file, 'r');
  }

  /** The record at `offset`: its header and its rows (a view into a buffer reused by the next read). */
  read(offset: number): { header: RecordHeader; rows: Buffer } {
    readAt(this.fd, this.buffer, RECORD_HEADER, offset);
    const header = decodeHeader(this.buffer, 0);
    if (!header || header.payloadBytes > MAX_PAYLOAD) throw errors.corruptJournal(this.file, 0, `the record at byte ${offset} is gone (the journal changed during the run)`);
    const total = RECORD_HEADER + header.payloadBytes;
    if (total > this.buffer.length) this.buffer = Buffer.from(new ArrayBuffer(total));
    readAt(this.fd, this.buffer, total, offset);
    if (recordCrc(this.buffer, 0, total) !== header.crc) throw errors.corruptJournal(this.file, 0, `the record at byte ${offset} fails its checksum (edited or damaged)`);
    return { header, rows: this.buffer.subarray(RECORD_HEADER + header.statsBytes, total) };
  }

  close(): void {
    closeSync(this.fd);
  }
}
