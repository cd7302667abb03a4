import { dataErrors } from '../models/model-errors.js';
import type { NumericArray } from './idx.js';
import { maybeGunzip } from './idx.js';

const NPY_TYPES: Record<string, { width: number; read: (v: DataView, at: number, little: boolean) => number }> = {
  u1: { width: 1, read: (v, at) => v.getUint8(at) },
  i1: { width: 1, read: (v, at) => v.getInt8(at) },
  u2: { width: 2, read: (v, at, le) => v.getUint16(at, le) },
  i2: { width: 2, read: (v, at, le) => v.getInt16(at, le) },
  i4: { width: 4, read: (v, at, le) => v.getInt32(at, le) },
  u4: { width: 4, read: (v, at, le) => v.getUint32(at, le) },
  i8: { width: 8, read: (v, at, le) => Number(v.getBigInt64(at, le)) },
  f4: { width: 4, read: (v, at, le) => v.getFloat32(at, le) },
  f8: { width: 8, read: (v, at, le) => v.getFloat64(at, le) },
};

/**
 * NumPy's .npy format (numpy.lib.format): magic "\x93NUMPY", version bytes, a header
 * length (uint16 LE in version 1, uint32 LE in 2 and 3), a Python dict literal with
 * 'descr', 'fortran_order' and 'shape', then the data. C order only.
 */
export function parseNpy(file: string, raw: Uint8Array): NumericArray {
  const bytes = maybeGunzip(file, raw);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || !magic.every((b, j) => bytes[j] === b)) throw dataErrors.corrupt(file, 'no .npy magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  if (bytes.length < start) throw dataErrors.corrupt(file, 'truncated .npy header');
  const header = new TextDecoder().decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shapeText) throw dataErrors.corrupt(file, `.npy header ${header.trim()}`);
  if (/'fortran_order':\s*True/.test(header)) throw dataErrors.corrupt(file, '.npy in Fortran order (save it C-contiguous)');
  const type = NPY_TYPES[descr[2]];
  if (!type) throw dataErrors.corrupt(file, `.npy dtype ${descr[2]} (allowed: u1, i1, u2, i2, u4, i4, i8, f4, f8)`);
  const little = descr[1] !== '>';
  const shape = shapeText[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const size = shape.reduce((x, y) => x * y, 1);
  if (bytes.length < start + size * type.width) throw dataErrors.corrupt(file, `.npy holds too few bytes for shape [${shape.join(', ')}] (truncated)`);
  if (descr[2] === 'u1') return { shape, values: bytes.subarray(start, start + size) };
  const values = new Float64Array(size);
  for (let j = 0; j < size; j++) values[j] = type.read(view, start + j * type.width, little);
  return { shape, values };
}

/** Writes a version-1 .npy file of float64 or uint8 values: for tests. */
export function encodeNpy(shape: number[], values: ArrayLike<number>, dtype: '<f8' | '|u1'): Uint8Array {
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const width = dtype === '<f8' ? 8 : 1;
  const out = new Uint8Array(10 + header.length + values.length * width);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  for (let j = 0; j < values.length; j++) {
    if (width === 8) view.setFloat64(10 + header.length + 8 * j, values[j], true); else out[10 + header.length + j] = values[j];
  }
  return out;
}
