import { crc32 } from 'node:zlib';

/**
 * One journal record = one finished batch of seeds of one cell (DESIGN.md "Run directory").
 * Written by the worker as a single byte block, appended by the coordinator in one write:
 *
 *   offset  0  u32  magic "LTHR"
 *           4  u32  payload bytes (after this 32-byte header)
 *           8  u32  crc32 of header bytes 12..31 and the payload
 *          12  u32  cell index
 *          16  f64  position of the first seed in the shard's sequence (seed = shard + position·stride)
 *          24  u32  seeds in the batch (consecutive positions)
 *          28  u32  bytes of the aggregate JSON at the start of the payload
 *   payload: the batch's aggregate (CellStats JSON), then its rows, if any: trials.csv lines
 *            (rows "csv"), or binary columns (rows "parquet", row-block.ts) starting at a
 *            multiple of 8 bytes into the record (the JSON is padded with spaces)
 *
 * The checksum makes a torn, glued or edited record detectable; the fixed header lets a
 * reader skip payloads it does not need.
 */
export const RECORD_MAGIC = 0x5248544c; // "LTHR" little-endian
export const RECORD_HEADER = 32;
/** Largest payload accepted when reading (a batch of 8192 seeds of CSV rows is ≈ 1 MB). */
export const MAX_PAYLOAD = 1 << 30;

export interface RecordHeader {
  payloadBytes: number;
  crc: number;
  cell: number;
  firstPos: number;
  count: number;
  statsBytes: number;
}

/** Builds a record from its aggregate JSON and its rows (CSV bytes, or with `align` a binary row block starting on an 8-byte boundary). */
export function encodeRecord(cell: number, firstPos: number, count: number, stats: string, rows: string | Uint8Array, align = false): Uint8Array {
  let statsBytes = Buffer.byteLength(stats);
  if (align) {
    const aligned = statsBytes + ((8 - ((RECORD_HEADER + statsBytes) % 8)) % 8);
    stats = stats.padEnd(stats.length + aligned - statsBytes); // JSON allows trailing spaces
    statsBytes = aligned;
  }
  const rowBytes = typeof rows === 'string' ? Buffer.byteLength(rows) : rows.byteLength;
  const buffer = Buffer.allocUnsafe(RECORD_HEADER + statsBytes + rowBytes);
  buffer.writeUInt32LE(RECORD_MAGIC, 0);
  buffer.writeUInt32LE(statsBytes + rowBytes, 4);
  buffer.writeUInt32LE(cell, 12);
  buffer.writeDoubleLE(firstPos, 16);
  buffer.writeUInt32LE(count, 24);
  buffer.writeUInt32LE(statsBytes, 28);
  buffer.write(stats, RECORD_HEADER, 'utf8');
  if (typeof rows !== 'string') buffer.set(rows, RECORD_HEADER + statsBytes);
  else if (rowBytes > 0) buffer.write(rows, RECORD_HEADER + statsBytes, 'utf8');
  buffer.writeUInt32LE(recordCrc(buffer, 0, buffer.length), 8);
  return buffer;
}

/** The checksum of a record held in `buffer[start, end)`. */
export function recordCrc(buffer: Uint8Array, start: number, end: number): number {
  return crc32(buffer.subarray(start + RECORD_HEADER, end), crc32(buffer.subarray(start + 12, start + RECORD_HEADER)));
}

/** Reads a record header at `offset`; null when the magic is wrong. */
export function decodeHeader(buffer: Buffer, offset: number): RecordHeader | null {
  if (buffer.readUInt32LE(offset) !== RECORD_MAGIC) return null;
  return {
    payloadBytes: buffer.readUInt32LE(offset + 4),
    crc: buffer.readUInt32LE(offset + 8),
    cell: buffer.readUInt32LE(offset + 12),
    firstPos: buffer.readDoubleLE(offset + 16),
    count: buffer.readUInt32LE(offset + 24),
    statsBytes: buffer.readUInt32LE(offset + 28),
  };
}
