import type { TrainedLayer, TrainedNet } from './trained-net.js';
import { modelErrors } from './model-errors.js';

interface Entry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/**
 * Reads a safetensors file (8-byte little-endian header length, a JSON header of
 * name → {dtype, shape, data_offsets}, then the raw little-endian data) holding a
 * PyTorch state_dict of Linear layers: tensors `<prefix>.weight` [out, in] and optional
 * `<prefix>.bias` [out]. Layers are applied in natural order of their prefixes
 * ("0" < "2" < "10", "fc1" < "fc2") with a ReLU between consecutive layers, so the file
 * must hold nothing else and the shapes must chain.
 */
export function loadSafetensors(file: string, bytes: Uint8Array): TrainedNet {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw modelErrors.corrupt(file, `${bytes.length} bytes, shorter than the 8-byte header length`);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) throw modelErrors.corrupt(file, `header of ${headerLength} bytes in a file of ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  } catch (e) {
    throw modelErrors.corrupt(file, `safetensors header: ${(e as Error).message}`);
  }
  const dataStart = 8 + headerLength, dataLength = bytes.length - dataStart;
  const weights = new Map<string, { values: Float64Array; shape: number[] }>();
  const biases = new Map<string, { values: Float64Array; shape: number[] }>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const entry = raw as Entry;
    const match = /^(.*)\.(weight|bias)$/.exec(name);
    if (!match) throw modelErrors.safetensorsName(file, name);
    const width = entry.dtype === 'F32' ? 4 : entry.dtype === 'F64' ? 8 : 0;
    if (width === 0) throw modelErrors.safetensors(file, name, `dtype ${String(entry.dtype)}`);
    const shape = entry.shape, [begin, end] = entry.data_offsets ?? [];
    const size = Array.isArray(shape) ? shape.reduce((x, y) => x * y, 1) : NaN;
    if (!Number.isInteger(size) || !Number.isInteger(begin) || !Number.isInteger(end) || end - begin !== size * width) {
      throw modelErrors.corrupt(file, `tensor "${name}": shape and data_offsets disagree`);
    }
    if (end > dataLength) throw modelErrors.corrupt(file, `tensor "${name}" ends at byte ${end} of ${dataLength} data bytes`);
    const values = new Float64Array(size);
    for (let j = 0; j < size; j++) {
      const at = dataStart + begin + j * width;
      values[j] = width === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true);
      if (!Number.isFinite(values[j])) throw modelErrors.notFinite(file, name);
    }
    (match[2] === 'weight' ? weights : biases).set(match[1], { values, shape });
  }
  for (const prefix of biases.keys()) {
    if (!weights.has(prefix)) throw modelErrors.safetensors(file, `${prefix}.bias`, 'a bias without a weight');
  }
  const prefixes = [...weights.keys()].sort(naturalCompare);
  if (prefixes.length === 0) throw modelErrors.corrupt(file, 'no tensors');
  const layers: TrainedLayer[] = [];
  for (const prefix of prefixes) {
    const w = weights.get(prefix)!, b = biases.get(prefix);
    if (w.shape.length !== 2) {
      throw modelErrors.safetensors(file, `${prefix}.weight`, `shape [${w.shape.join(', ')}]${w.shape.length === 4 ? ' (a convolution)' : ''} is not [out, in]`);
    }
    const [rows, cols] = w.shape;
    if (b && !(b.shape.length === 1 && b.shape[0] === rows)) {
      throw modelErrors.safetensors(file, `${prefix}.bias`, `shape [${b.shape.join(', ')}] for a layer of ${rows} outputs`);
    }
    const previous = layers[layers.length - 1];
    if (previous && previous.rows !== cols) {
      throw modelErrors.safetensors(file, `${prefix}.weight`, `takes ${cols} inputs but the previous layer gives ${previous.rows} (shapes do not chain)`);
    }
    layers.push({ rows, cols, weight: w.values, bias: b ? b.values : null });
  }
  return { file, layers };
}

/** Compares names piece by piece, digit runs as numbers: "2" < "10", "fc2" < "fc10". */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [], pb = b.match(/\d+|\D+/g) ?? [];
  for (let j = 0; j < Math.min(pa.length, pb.length); j++) {
    const x = pa[j], y = pb[j];
    const nx = /^\d/.test(x), ny = /^\d/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Writes a safetensors file (float32 or float64) from named tensors: for tests and fixtures. */
export function encodeSafetensors(tensors: Record<string, { shape: number[]; values: ArrayLike<number> }>, dtype: 'F32' | 'F64' = 'F32'): Uint8Array {
  const width = dtype === 'F32' ? 4 : 8;
  const header: Record<string, Entry> = {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + t.values.length * width] };
    offset += t.values.length * width;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' '; // the format pads the header to 8 bytes
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(new TextEncoder().encode(json), 8);
  let at = 8 + json.length;
  for (const t of Object.values(tensors)) {
    for (let j = 0; j < t.values.length; j++, at += width) {
      if (width === 4) view.setFloat32(at, t.values[j], true); else view.setFloat64(at, t.values[j], true);
    }
  }
  return out;
}
