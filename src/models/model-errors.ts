import { UserError } from '../errors.js';

/**
 * User errors of model and data-set files (one line: file, node or tensor, what is allowed;
 * exit 2), kept beside the loaders as piscina keeps its errors in one module.
 */
export const CHAIN_ALLOWED =
  'a chain of Gemm or MatMul (+ Add) layers separated by Relu, optionally after one leading Flatten or Reshape, float32 or float64 weights';

export const modelErrors = {
  unsupportedFormat: (file: string) =>
    new UserError(`${file}: model must be an ONNX (.onnx) or safetensors (.safetensors) file`),
  corrupt: (file: string, why: string) => new UserError(`${file}: not a readable model (${why}); the file may be truncated`),
  refused: (file: string, where: string, what: string) => new UserError(`${file}: ${where}: ${what}; allowed: ${CHAIN_ALLOWED}`),
  notFinite: (file: string, tensor: string) =>
    new UserError(`${file}: tensor "${tensor}" holds NaN or Inf; allowed: finite float32 or float64 weights`),
  safetensorsName: (file: string, tensor: string) =>
    new UserError(`${file}: tensor "${tensor}": names must end in ".weight" or ".bias" (a state_dict of Linear layers, applied in natural order of their prefixes with ReLU between)`),
  safetensors: (file: string, tensor: string, what: string) =>
    new UserError(`${file}: tensor "${tensor}": ${what}; allowed: Linear weights [out, in] and biases [out] of dtype F32 or F64 whose shapes chain`),
};

export const dataErrors = {
  notInstalled: (name: string, pkg: string) =>
    new UserError(`data "${name}": the data set is not installed; install it with: apt-get install -y ${pkg}`),
  missingSplit: (dir: string, split: string, prefix: string) =>
    new UserError(`${dir}: no ${split} split here (expected ${prefix}-images-idx3-ubyte and ${prefix}-labels-idx1-ubyte, optionally .gz)`),
  corrupt: (file: string, why: string) => new UserError(`${file}: not a readable data file (${why}); allowed: IDX (gzip or plain) or .npy`),
  mismatch: (what: string, why: string) => new UserError(`${what}: ${why}`),
};
