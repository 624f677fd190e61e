// A minimal ONNX protobuf writer, enough to build the attention graph the
// benchmark runs in onnxruntime-web:
//   O = Softmax(Q · K^T * scale [+ causal mask]) · V,  Q, K, V: [H, N, d]
// (protobuf wire format: varints, length-delimited fields; ONNX opset 13).

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}
const key = (field, wire) => varint((field << 3) | wire);
const bytes = (field, data) => [...key(field, 2), ...varint(data.length), ...data];
const str = (field, s) => bytes(field, [...new TextEncoder().encode(s)]);
const int = (field, n) => [...key(field, 0), ...varint(n)];

function tensorType(dims) {
  const shape = dims.flatMap((d) => bytes(1, int(1, d)));  // Dimension.dim_value
  return bytes(1, [...int(1, 1), ...bytes(2, shape)]);     // Tensor{elem_type FLOAT, shape}
}
const valueInfo = (name, dims) => [...str(1, name), ...bytes(2, tensorType(dims))];

function node(op, inputs, outputs, attributes = []) {
  return [...inputs.flatMap((i) => str(1, i)), ...outputs.flatMap((o) => str(2, o)), ...str(4, op),
          ...attributes.flatMap((a) => bytes(5, a))];
}
const intsAttribute = (name, values) => [...str(1, name), ...int(20, 7), ...values.flatMap((v) => int(8, v))];

function floatTensor(name, dims, values) {
  const raw = new Uint8Array(new Float32Array(values).buffer);
  return [...dims.flatMap((d) => int(1, d)), ...int(2, 1), ...str(8, name), ...bytes(9, [...raw])];
}

export function attentionModel(H, N, d, causal) {
  const nodes = [
    node("Transpose", ["K"], ["Kt"], [intsAttribute("perm", [0, 2, 1])]),
    node("MatMul", ["Q", "Kt"], ["S"]),
    node("Mul", ["S", "scale"], ["Ss"]),
  ];
  const initializers = [floatTensor("scale", [], [1 / Math.sqrt(d)])];
  let logits = "Ss";
  if (causal) {
    const mask = new Float32Array(N * N);
    for (let i = 0; i < N; ++i) for (let j = i + 1; j < N; ++j) mask[i * N + j] = -1e9;
    initializers.push(floatTensor("mask", [N, N], mask));
    nodes.push(node("Add", ["Ss", "mask"], ["Sm"]));
    logits = "Sm";
  }
  nodes.push(node("Softmax", [logits], ["P"]));  // opset 13: over the last axis
  nodes.push(node("MatMul", ["P", "V"], ["O"]));
  const graph = [
    ...nodes.flatMap((n) => bytes(1, n)),
    ...str(2, "attention"),
    ...initializers.flatMap((t) => bytes(5, t)),
    ...["Q", "K", "V"].flatMap((name) => bytes(11, valueInfo(name, [H, N, d]))),
    ...bytes(12, valueInfo("O", [H, N, d])),
  ];
  const model = [...int(1, 7), ...str(2, "attnlab-bench"), ...bytes(7, graph),
                 ...bytes(8, [...str(1, ""), ...int(2, 13)])];
  return new Uint8Array(model);
}
