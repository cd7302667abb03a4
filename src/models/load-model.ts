import { readFileSync, existsSync } from 'node:fs';
import type { TrainedNet } from './trained-net.js';
import { loadOnnx } from './onnx.js';
import { loadSafetensors } from './safetensors.js';
import { modelErrors } from './model-errors.js';
import { errors } from '../errors.js';

/** Reads a trained MLP from an .onnx or .safetensors file (THEORY.md §2b); refusals are one-line UserErrors. */
export function loadModel(file: string): TrainedNet {
  if (!existsSync(file)) throw errors.fileMissing(file);
  const lower = file.toLowerCase();
  if (!lower.endsWith('.onnx') && !lower.endsWith('.safetensors')) throw modelErrors.unsupportedFormat(file);
  const bytes = readFileSync(file);
  return lower.endsWith('.onnx') ? loadOnnx(file, bytes) : loadSafetensors(file, bytes);
}
