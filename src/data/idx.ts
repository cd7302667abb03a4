import { gunzipSync } from 'node:zlib';
import { dataErrors } from '../models/model-errors.js';

/** An array read from a data file: row-major values and its shape; uint8 files (pixels) stay uint8 (a 60 000-image split is 47 MB, not 376). */
export interface NumericArray {
  shape: number[];
  values: Float64Array | Uint8Array;
}

/** Gunzips when the bytes start with the gzip magic 1f 8b; plain files pass through. */
export function maybeGunzip(file: string, bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (e) {
      throw dataErrors.corrupt(file, `gzip: ${(e as Error).message}`);
    }
  }
  return bytes;
}

const IDX_TYPES: Record<number, { width: number; read: (v: DataView, at: number) => number }> = {
  0x08: { width: 1, read: (v, at) => v.getUint8(at) },
  0x09: { width: 1, read: (v, at) => v.getInt8(at) },
  0x0b: { width: 2, read: (v, at) => v.getInt16(at, false) },
  0x0c: { width: 4, read: (v, at) => v.getInt32(at, false) },
  0x0d: { width: 4, read: (v, at) => v.getFloat32(at, false) },
  0x0e: { width: 8, read: (v, at) => v.getFloat64(at, false) },
};

/**
 * The IDX format of MNIST (yann.lecun.com/exdb/mnist): two zero bytes, a type byte
 * (0x08 uint8 … 0x0E float64), the number of dimensions, each dimension as a big-endian
 * uint32, then the values big-endian, row-major.
 */
export function parseIdx(file: string, raw: Uint8Array): NumericArray {
  const bytes = maybeGunzip(file, raw);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || !(bytes[2] in IDX_TYPES)) {
    throw dataErrors.corrupt(file, 'no IDX magic number');
  }
  const type = IDX_TYPES[bytes[2]], dims = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 + 4 * dims) throw dataErrors.corrupt(file, 'truncated IDX header');
  const shape: number[] = [];
  for (let j = 0; j < dims; j++) shape.push(view.getUint32(4 + 4 * j, false));
  const size = shape.reduce((x, y) => x * y, 1), start = 4 + 4 * dims;
  if (bytes.length < start + size * type.width) {
    throw dataErrors.corrupt(file, `IDX holds ${bytes.length - start} data bytes for shape [${shape.join(', ')}] (truncated)`);
  }
  if (bytes[2] === 0x08) return { shape, values: bytes.subarray(start, start + size) };
  const values = new Float64Array(size);
  for (let j = 0; j < size; j++) values[j] = type.read(view, start + j * type.width);
  return { shape, values };
}

/** Writes a uint8 IDX file (plain): for tests and fixtures. */
export function encodeIdxUint8(shape: number[], values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + values.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, j) => view.setUint32(4 + 4 * j, d, false));
  out.set(Uint8Array.from(values), 4 + 4 * shape.length);
  return out;
}
