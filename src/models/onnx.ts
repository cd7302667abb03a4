import onnxProto from 'onnx-proto';
import type { TrainedLayer, TrainedNet } from './trained-net.js';
import { modelErrors } from './model-errors.js';

const { onnx } = onnxProto;
type Tensor = InstanceType<typeof onnx.TensorProto>;
type Node = InstanceType<typeof onnx.NodeProto>;
type Graph = InstanceType<typeof onnx.GraphProto>;
type ValueInfo = InstanceType<typeof onnx.ValueInfoProto>;

const FLOAT = 1, DOUBLE = 11;

/**
 * Reads an ONNX model that is a plain MLP (THEORY.md §2b): from the graph's one data input
 * to its one output, a chain of linear layers — Gemm (transA = 0; transB, alpha, beta
 * honoured: W = alpha·B or alpha·Bᵀ, bias = beta·C) or MatMul optionally followed by Add
 * of a constant — separated by Relu, after an optional leading Flatten (axis 1) or Reshape.
 * Every node must be on the chain, every tensor used once (no branches), weights finite
 * float32/float64 initializers (or Constant nodes). Anything else is refused naming the node.
 */
export function loadOnnx(file: string, bytes: Uint8Array): TrainedNet {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw modelErrors.corrupt(file, `ONNX protobuf: ${(e as Error).message}`);
  }
  const graph = model.graph as Graph | null;
  if (!graph || graph.node.length === 0) throw modelErrors.corrupt(file, 'no graph');
  const constants = new Map<string, Tensor>();
  for (const t of graph.initializer as Tensor[]) constants.set(t.name, t);
  const nodes: Node[] = [];
  for (const node of graph.node as Node[]) {
    if (node.opType === 'Constant') {
      const value = node.attribute.find((a) => a.name === 'value')?.t;
      if (!value) throw modelErrors.refused(file, nodeName(node), 'a Constant without a tensor "value"');
      constants.set(node.output[0], value as Tensor);
    } else nodes.push(node);
  }
  const inputs = (graph.input as ValueInfo[]).filter((i) => !constants.has(i.name));
  if (inputs.length !== 1) throw modelErrors.refused(file, 'graph', `${inputs.length} data inputs (one is allowed)`);
  if (graph.output.length !== 1) throw modelErrors.refused(file, 'graph', `${graph.output.length} outputs (one is allowed)`);
  const consumers = new Map<string, Node[]>();
  for (const node of nodes) {
    for (const name of node.input) {
      if (name === '' || constants.has(name)) continue;
      consumers.set(name, [...(consumers.get(name) ?? []), node]);
    }
  }
  const chain = new Chain(file, constants);
  let current = inputs[0].name;
  const end = (graph.output[0] as ValueInfo).name;
  let visited = 0;
  while (current !== end) {
    const next = consumers.get(current) ?? [];
    if (next.length !== 1) {
      throw modelErrors.refused(file, `tensor "${current}"`, next.length === 0 ? 'does not lead to the graph output' : `feeds ${next.length} nodes (branches are not allowed)`);
    }
    const node = next[0];
    const others = node.input.filter((name) => name !== current && name !== '' && !constants.has(name));
    if (others.length > 0 || node.input.filter((name) => name === current).length !== 1) {
      throw modelErrors.refused(file, nodeName(node), `takes the non-constant input "${others[0] ?? current}" besides the chain (branches are not allowed)`);
    }
    if (node.output.length !== 1) throw modelErrors.refused(file, nodeName(node), `has ${node.output.length} outputs`);
    chain.add(node, current);
    visited++;
    current = node.output[0];
  }
  if (visited !== nodes.length) {
    const off = nodes.find((n) => !chain.seen.has(n));
    throw modelErrors.refused(file, off ? nodeName(off) : 'graph', 'is not on the chain from the input to the output');
  }
  const layers = chain.finish();
  checkInputShape(file, inputs[0], layers[0].cols);
  return { file, layers };
}

/** The chain's state machine: which node may come next, and the layers built so far. */
class Chain {
  readonly layers: TrainedLayer[] = [];
  readonly seen = new Set<Node>();
  private last: 'start' | 'reshape' | 'linear' | 'relu' = 'start';

  constructor(readonly file: string, readonly constants: Map<string, Tensor>) {}

  add(node: Node, input: string): void {
    this.seen.add(node);
    const where = nodeName(node);
    switch (node.opType) {
      case 'Flatten':
      case 'Reshape':
        if (this.last !== 'start') throw modelErrors.refused(this.file, where, `${node.opType} after the first layer`);
        if (node.opType === 'Flatten' && intAttribute(node, 'axis', 1) !== 1) throw modelErrors.refused(this.file, where, 'Flatten with axis ≠ 1');
        this.last = 'reshape';
        return;
      case 'Gemm':
        return this.gemm(node, where, input);
      case 'MatMul':
        return this.matmul(node, where, input);
      case 'Add':
        return this.add_(node, where, input);
      case 'Relu':
        if (this.last !== 'linear') throw modelErrors.refused(this.file, where, 'a Relu that does not follow a linear layer');
        this.last = 'relu';
        return;
      default:
        throw modelErrors.refused(this.file, where, `operator ${node.opType} is not allowed`);
    }
  }

  finish(): TrainedLayer[] {
    if (this.layers.length === 0) throw modelErrors.refused(this.file, 'graph', 'no linear layer');
    if (this.last === 'relu') throw modelErrors.refused(this.file, 'graph', 'a Relu after the last linear layer (the target\'s output has no ReLU)');
    return this.layers;
  }

  private push(where: string, layer: TrainedLayer): void {
    if (this.last === 'linear') throw modelErrors.refused(this.file, where, 'two linear layers without a Relu between them');
    const previous = this.layers[this.layers.length - 1];
    if (previous && previous.rows !== layer.cols) {
      throw modelErrors.refused(this.file, where, `takes ${layer.cols} inputs but the previous layer gives ${previous.rows} (shapes do not chain)`);
    }
    this.layers.push(layer);
    this.last = 'linear';
  }

  private gemm(node: Node, where: string, input: string): void {
    if (node.input[0] !== input) throw modelErrors.refused(this.file, where, 'the chain enters Gemm as B or C, not A');
    if (intAttribute(node, 'transA', 0) !== 0) throw modelErrors.refused(this.file, where, 'Gemm with transA = 1');
    const transB = intAttribute(node, 'transB', 0) !== 0;
    const alpha = floatAttribute(node, 'alpha', 1), beta = floatAttribute(node, 'beta', 1);
    const B = this.matrix(node, where, node.input[1]);
    // Y = alpha·A·op(B) + beta·C: op(B) is [in, out], so W ([out, in]) = alpha·op(B)ᵀ
    const layer = transB ? scaled(B.values, B.rows, B.cols, alpha, false) : scaled(B.values, B.rows, B.cols, alpha, true);
    if (node.input.length > 2 && node.input[2] !== '') layer.bias = this.bias(where, node.input[2], layer.rows, beta);
    this.push(where, layer);
  }

  private matmul(node: Node, where: string, input: string): void {
    if (node.input[0] !== input) throw modelErrors.refused(this.file, where, 'MatMul with the weight on the left (x·B is allowed)');
    const B = this.matrix(node, where, node.input[1]);
    this.push(where, scaled(B.values, B.rows, B.cols, 1, true));
  }

  private add_(node: Node, where: string, input: string): void {
    const layer = this.layers[this.layers.length - 1];
    if (this.last !== 'linear' || layer.bias !== null) throw modelErrors.refused(this.file, where, 'an Add that is not the bias of a MatMul or Gemm');
    const other = node.input.find((name) => name !== input)!;
    layer.bias = this.bias(where, other, layer.rows, 1);
  }

  private matrix(node: Node, where: string, name: string): { values: Float64Array; rows: number; cols: number } {
    const tensor = this.constants.get(name);
    if (!tensor) throw modelErrors.refused(this.file, where, `weight "${name}" is not a constant`);
    const dims = tensorDims(tensor);
    if (dims.length !== 2) throw modelErrors.refused(this.file, where, `weight "${name}" has shape [${dims.join(', ')}] (2-D is allowed)`);
    return { values: floats(this.file, tensor), rows: dims[0], cols: dims[1] };
  }

  private bias(where: string, name: string, rows: number, beta: number): Float64Array {
    const tensor = this.constants.get(name);
    if (!tensor) throw modelErrors.refused(this.file, where, `bias "${name}" is not a constant`);
    const values = floats(this.file, tensor);
    const dims = tensorDims(tensor);
    const size = dims.reduce((x, y) => x * y, 1);
    if (!(size === rows && dims.filter((d) => d !== 1).length <= 1) && size !== 1) {
      throw modelErrors.refused(this.file, where, `bias "${name}" has shape [${dims.join(', ')}] for ${rows} outputs`);
    }
    const bias = new Float64Array(rows);
    for (let a = 0; a < rows; a++) bias[a] = beta * values[size === 1 ? 0 : a];
    return bias;
  }
}

/** W[out, in] from a matrix given as [out, in] (transpose = false) or [in, out] (true), times alpha. */
function scaled(values: Float64Array, rows: number, cols: number, alpha: number, transpose: boolean): TrainedLayer {
  const out = transpose ? cols : rows, inn = transpose ? rows : cols;
  const weight = new Float64Array(out * inn);
  for (let a = 0; a < out; a++) {
    for (let b = 0; b < inn; b++) weight[a * inn + b] = alpha * (transpose ? values[b * cols + a] : values[a * cols + b]);
  }
  return { rows: out, cols: inn, weight, bias: null };
}

function toNumber(x: number | { toNumber(): number }): number {
  return typeof x === 'number' ? x : x.toNumber();
}

function tensorDims(t: Tensor): number[] {
  return t.dims.map((d) => toNumber(d as number | { toNumber(): number }));
}

/** A float32/float64 tensor as float64 values, from float_data, double_data or raw_data (little-endian). */
function floats(file: string, t: Tensor): Float64Array {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw modelErrors.refused(file, `tensor "${t.name}"`, 'external data (save the model with its weights inside)');
  }
  const size = tensorDims(t).reduce((x, y) => x * y, 1);
  let values: Float64Array;
  if (t.dataType === FLOAT || t.dataType === DOUBLE) {
    const width = t.dataType === FLOAT ? 4 : 8;
    if (t.rawData && t.rawData.length > 0) {
      if (t.rawData.length !== size * width) throw modelErrors.corrupt(file, `tensor "${t.name}" holds ${t.rawData.length} bytes for ${size} values`);
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      values = new Float64Array(size);
      for (let j = 0; j < size; j++) values[j] = width === 4 ? view.getFloat32(4 * j, true) : view.getFloat64(8 * j, true);
    } else {
      const list = t.dataType === FLOAT ? t.floatData : t.doubleData;
      if (list.length !== size) throw modelErrors.corrupt(file, `tensor "${t.name}" holds ${list.length} values for shape [${tensorDims(t).join(', ')}]`);
      values = Float64Array.from(list);
    }
  } else {
    throw modelErrors.refused(file, `tensor "${t.name}"`, `data type ${onnx.TensorProto.DataType[t.dataType] ?? t.dataType}`);
  }
  for (let j = 0; j < size; j++) if (!Number.isFinite(values[j])) throw modelErrors.notFinite(file, t.name);
  return values;
}

function intAttribute(node: Node, name: string, fallback: number): number {
  const a = node.attribute.find((x) => x.name === name);
  return a ? toNumber(a.i as number | { toNumber(): number }) : fallback;
}

function floatAttribute(node: Node, name: string, fallback: number): number {
  const a = node.attribute.find((x) => x.name === name);
  return a ? a.f ?? fallback : fallback;
}

function nodeName(node: Node): string {
  return `node "${node.name || node.output[0]}" (${node.opType})`;
}

/** When the graph input declares its shape, its non-batch dimensions must multiply to the first layer's inputs. */
function checkInputShape(file: string, input: ValueInfo, cols: number): void {
  const dims = input.type?.tensorType?.shape?.dim;
  if (!dims || dims.length < 2) return;
  let size = 1;
  for (const d of dims.slice(1)) {
    if (d.dimValue === null || d.dimValue === undefined || d.dimParam) return;
    const value = toNumber(d.dimValue as number | { toNumber(): number });
    if (value <= 0) return; // unknown dimension
    size *= value;
  }
  if (size !== cols) throw modelErrors.refused(file, `input "${input.name}"`, `has ${size} features but the first layer takes ${cols} (shapes do not chain)`);
}

