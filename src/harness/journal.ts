import { openSync, existsSync, ftruncateSync, writeSync, fsyncSync, closeSync, readSync, fstatSync, renameSync } from 'node:fs';
import { errors } from '../errors.js';
import { RECORD_HEADER, MAX_PAYLOAD, decodeHeader, recordCrc, type RecordHeader } from './record.js';
import { DiskFullError } from './disk.js';

/** What identifies a journal's contents; a journal written for anything else is refused. */
export interface JournalIdentity {
  experiment: string;
  version: number;
  columns: string[];
  rows: string;
}

export interface ReplayedRecord extends RecordHeader {
  /** 1-based record number and byte offset, for messages. */
  number: number;
  offset: number;
  stats: string;
}

export interface OpenOptions {
  identity: JournalIdentity;
  /** The checkpoint's epoch and the journal bytes it covers (null: no checkpoint). */
  checkpoint: { epoch: number; bytes: number } | null;
  /** Records already in the checkpoint (skipped, headers only: their rows are indexed). */
  onCovered?: (header: RecordHeader, offset: number) => void;
  /** Records after the checkpoint: checksummed, then handed over to be validated and counted. */
  onReplay: (record: ReplayedRecord) => void;
  /** Test hook: fail appends beyond this many bytes as a full disk would (LTH_TEST_DISK_LIMIT). */
  diskLimit?: number;
}

const MAGIC_LINE = 'LTH-JOURNAL 1 ';
const CHUNK = 8 << 20;

/**
 * The append-only journal of a trial (DESIGN.md "Run directory"): a header line naming
 * what it holds and its epoch, then one binary record per finished batch (record.ts) in
 * completion order. Each batch is appended with a single write that is complete or rolled
 * back, so the file always ends on a record boundary except after a kill -9 mid-write;
 * a torn last record is dropped on open and its seeds run again. With `--rows none` the
 * journal is compacted into the checkpoint (state.json) as the run goes: a new epoch
 * starts an empty journal, and a journal older than its checkpoint is discarded.
 */
export class Journal {
  private fd: number;
  /** Bytes that are complete records (the file's length after the last good append). */
  bytes: number;
  private unsynced = false;

  private constructor(readonly file: string, fd: number, bytes: number, readonly headerBytes: number, private epoch: number, private readonly identity: JournalIdentity, private readonly diskLimit: number) {
    this.fd = fd;
    this.bytes = bytes;
  }

  static headerLine(identity: JournalIdentity, epoch: number): string {
    return MAGIC_LINE + JSON.stringify({ ...identity, epoch }) + '\n';
  }

  static open(file: string, options: OpenOptions): Journal {
    const { identity, checkpoint } = options;
    const limit = options.diskLimit ?? Infinity;
    const epoch = checkpoint?.epoch ?? 0;
    if (!existsSync(file)) {
      if (checkpoint && identity.rows !== 'none' && checkpoint.bytes > Buffer.byteLength(Journal.headerLine(identity, epoch))) {
        throw errors.corruptJournal(file, 0, `is missing while state.json says it holds ${checkpoint.bytes} bytes of rows`);
      }
      return Journal.create(file, identity, epoch, limit);
    }
    const fd = openSync(file, 'r+');
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(Math.min(size, 1 << 16));
      readSync(fd, head, 0, head.length, 0);
      const newline = head.indexOf(10);
      if (newline < 0) {
        if (size < 1 << 16 && !checkpoint) { closeSync(fd); return Journal.create(file, identity, epoch, limit); } // torn header: nothing recorded yet
        throw errors.corruptJournal(file, 0, 'has no header line');
      }
      const line = head.toString('utf8', 0, newline + 1);
      const fileEpoch = parseHeader(file, line, identity);
      const headerBytes = newline + 1;
      if (checkpoint && fileEpoch < checkpoint.epoch) {
        // compacted into the checkpoint, then killed before the new epoch began: all of it is counted
        closeSync(fd);
        return Journal.create(file, identity, checkpoint.epoch, limit);
      }
      if (checkpoint && fileEpoch > checkpoint.epoch) throw errors.corruptJournal(file, 0, `epoch ${fileEpoch} is newer than state.json's ${checkpoint.epoch}`);
      const from = checkpoint ? checkpoint.bytes : headerBytes;
      if (from < headerBytes || from > size) throw errors.corruptJournal(file, 0, `holds ${size} bytes, fewer than the ${from} state.json counts`);
      const end = scan(fd, file, size, headerBytes, from, options);
      if (end < size) ftruncateSync(fd, end); // a torn last record: its seeds run again
      return new Journal(file, fd, end, headerBytes, fileEpoch, identity, limit);
    } catch (e) {
      try { closeSync(fd); } catch { /* already closed */ }
      throw e;
    }
  }

  private static create(file: string, identity: JournalIdentity, epoch: number, diskLimit: number): Journal {
    const header = Journal.headerLine(identity, epoch);
    const tmp = file + '.tmp';
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, Buffer.from(header), 0, tmp, Infinity);
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    closeSync(fd);
    renameSync(tmp, file);
    const bytes = Buffer.byteLength(header);
    return new Journal(file, openSync(file, 'r+'), bytes, bytes, epoch, identity, diskLimit);
  }

  /**
   * Appends one record with a single positioned write: complete, or rolled back to the last
   * complete record (a full disk then stops the run with one line; nothing counted is lost).
   */
  append(record: Uint8Array): void {
    const at = this.bytes;
    try {
      writeAll(this.fd, record, at, this.file, this.diskLimit);
    } catch (e) {
      try { ftruncateSync(this.fd, at); } catch { /* best effort: a torn tail is dropped on open anyway */ }
      throw e;
    }
    this.bytes = at + record.length;
    this.unsynced = true;
  }

  /** Flushes appended records to the device (before a checkpoint refers to them). */
  sync(): void {
    if (this.unsynced) fsyncSync(this.fd);
    this.unsynced = false;
  }

  /** Starts an empty journal of the next epoch (after its records went into the checkpoint). */
  rotate(epoch: number): void {
    closeSync(this.fd);
    const fresh = Journal.create(this.file, this.identity, epoch, this.diskLimit);
    this.fd = fresh.fd;
    this.bytes = fresh.bytes;
    this.epoch = epoch;
    this.unsynced = false;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Writes all of `data` at `position`; a short write or ENOSPC raises DiskFullError. */
function writeAll(fd: number, data: Uint8Array, position: number, file: string, limit: number): void {
  let done = 0;
  while (done < data.length) {
    let n: number;
    try {
      if (position + data.length > limit) {
        // test hook: a short write as a full disk gives it
        const room = Math.max(0, limit - position - done);
        if (room > 0) writeSync(fd, data, done, Math.min(room, data.length - done), position + done);
        throw Object.assign(new Error('ENOSPC: no space left on device (injected)'), { code: 'ENOSPC' });
      }
      n = writeSync(fd, data, done, data.length - done, position + done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new DiskFullError(file, code);
      throw e;
    }
    if (n <= 0) throw new DiskFullError(file, 'short write');
    done += n;
  }
}

function parseHeader(file: string, line: string, identity: JournalIdentity): number {
  if (!line.startsWith(MAGIC_LINE)) throw errors.corruptJournal(file, 0, 'is not an lth journal of this version (header)');
  let parsed: JournalIdentity & { epoch: number };
  try {
    parsed = JSON.parse(line.slice(MAGIC_LINE.length));
  } catch {
    throw errors.corruptJournal(file, 0, 'header is not valid JSON');
  }
  for (const key of ['experiment', 'version', 'rows'] as const) {
    if (parsed[key] !== identity[key]) throw errors.corruptJournal(file, 0, `was written for ${key} ${JSON.stringify(parsed[key])}, this run has ${JSON.stringify(identity[key])}`);
  }
  if (JSON.stringify(parsed.columns) !== JSON.stringify(identity.columns)) throw errors.corruptJournal(file, 0, 'columns differ from the experiment\'s');
  if (!Number.isInteger(parsed.epoch) || parsed.epoch < 0) throw errors.corruptJournal(file, 0, 'epoch is not a count');
  return parsed.epoch;
}

/**
 * Reads records from `headerBytes` to the end: headers only before `from` (covered by the
 * checkpoint), checksummed and handed to `onReplay` after. Returns the end of the last
 * complete record (a torn or unreadable last record is not complete).
 */
function scan(fd: number, file: string, size: number, headerBytes: number, from: number, options: OpenOptions): number {
  let buffer = Buffer.allocUnsafe(CHUNK);
  let bufferStart = 0, bufferEnd = 0; // file range held in buffer
  const ensure = (start: number, length: number): boolean => {
    if (start + length > size) return false;
    if (start >= bufferStart && start + length <= bufferEnd) return true;
    if (length > buffer.length) buffer = Buffer.allocUnsafe(length);
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, size - start), start);
    bufferStart = start;
    bufferEnd = start + n;
    return start + length <= bufferEnd;
  };
  let offset = headerBytes, number = 0;
  while (offset < size) {
    number++;
    if (!ensure(offset, RECORD_HEADER)) return offset; // torn header
    const header = decodeHeader(buffer, offset - bufferStart);
    const where = `record ${number} (byte ${offset})`;
    if (!header || header.payloadBytes > MAX_PAYLOAD || header.statsBytes > header.payloadBytes) {
      if (offset >= from && isLast(offset, size)) return offset;
      throw errors.corruptJournal(file, number, `${where} has no valid record header`);
    }
    const end = offset + RECORD_HEADER + header.payloadBytes;
    if (end > size) return offset; // torn: the write of this record did not complete
    if (offset < from) {
      if (end > from) throw errors.corruptJournal(file, number, `${where} straddles the checkpoint at byte ${from}`);
      options.onCovered?.(header, offset);
    } else {
      if (!ensure(offset, end - offset)) return offset;
      const at = offset - bufferStart;
      if (recordCrc(buffer, at, at + RECORD_HEADER + header.payloadBytes) !== header.crc) {
        if (end === size) return offset; // a last record whose bytes did not all reach the disk
        throw errors.corruptJournal(file, number, `${where} fails its checksum (edited or damaged)`);
      }
      const stats = buffer.toString('utf8', at + RECORD_HEADER, at + RECORD_HEADER + header.statsBytes);
      options.onReplay({ ...header, number, offset, stats });
    }
    offset = end;
  }
  return offset;
}

/** A bad header in the last few bytes is a torn write rather than damage. */
function isLast(offset: number, size: number): boolean {
  return size - offset < RECORD_HEADER + 16;
}

/** Reads `length` bytes at `position` of an open file (rows copied into trials.csv). */
export function readAt(fd: number, buffer: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n <= 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += n;
  }
}
