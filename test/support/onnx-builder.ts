import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Builds small ONNX models for loader tests (encoded with the same protobuf definitions the loader decodes). */
export interface NodeSpec {
  op: string;
  inputs: string[];
  output: string;
  attributes?: Record<string, number>;
  name?: string;
}

export interface TensorSpec {
  name: string;
  dims: number[];
  values: number[];
  /** 'float' (float_data), 'double' (double_data) or 'raw32' (raw_data, float32 LE). */
  kind?: 'float' | 'double' | 'raw32' | 'int64';
}

const FLOAT_ATTRS = new Set(['alpha', 'beta']);

export function onnxModel(nodes: NodeSpec[], tensors: TensorSpec[], input = 'x', output?: string, inputDims?: number[]): Uint8Array {
  const initializer = tensors.map((t) => {
    const kind = t.kind ?? 'float';
    const base = { name: t.name, dims: t.dims };
    if (kind === 'double') return onnx.TensorProto.create({ ...base, dataType: 11, doubleData: t.values });
    if (kind === 'int64') return onnx.TensorProto.create({ ...base, dataType: 7, int64Data: t.values });
    if (kind === 'raw32') {
      const raw = new Uint8Array(4 * t.values.length);
      const view = new DataView(raw.buffer);
      t.values.forEach((v, j) => view.setFloat32(4 * j, v, true));
      return onnx.TensorProto.create({ ...base, dataType: 1, rawData: raw });
    }
    return onnx.TensorProto.create({ ...base, dataType: 1, floatData: t.values });
  });
  const node = nodes.map((n, j) => onnx.NodeProto.create({
    name: n.name ?? `${n.op}_${j}`, opType: n.op, input: n.inputs, output: [n.output],
    attribute: Object.entries(n.attributes ?? {}).map(([name, value]) =>
      FLOAT_ATTRS.has(name)
        ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value })
        : onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value })),
  }));
  const valueInfo = (name: string, dims?: number[]) => onnx.ValueInfoProto.create({
    name,
    type: dims ? { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (d < 0 ? { dimParam: 'batch' } : { dimValue: d })) } } } : undefined,
  });
  const graph = onnx.GraphProto.create({
    name: 'g', node, initializer, input: [valueInfo(input, inputDims)], output: [valueInfo(output ?? nodes[nodes.length - 1].output)],
  });
  const model = onnx.ModelProto.create({ irVersion: 7, graph, opsetImport: [{ domain: '', version: 13 }] });
  return onnx.ModelProto.encode(model).finish();
}
