"""Static check of an ONNX graph against TensorRT 8.2's ONNX parser (Jetson TX2, JetPack 4.6).

The operator table is onnx-tensorrt's ``docs/operators.md`` at release 8.2-GA: supported
operators, their supported data types and restrictions. TensorRT casts INT64 down to INT32 and
DOUBLE to FLOAT where it can, so INT64 tensors count as INT32 here, except at the graph's inputs
and outputs, which an engine cannot have in INT64.
"""

from dataclasses import dataclass
from typing import Dict, List, Set, Union

import onnx
from onnx import TensorProto

MAX_OPSET = 13

TRT82_SUPPORTED = {
    'Abs': ('FP32', 'FP16', 'INT32'),
    'Acos': ('FP32', 'FP16'),
    'Acosh': ('FP32', 'FP16'),
    'Add': ('FP32', 'FP16', 'INT32'),
    'And': ('BOOL',),
    'ArgMax': ('FP32', 'FP16'),
    'ArgMin': ('FP32', 'FP16'),
    'Asin': ('FP32', 'FP16'),
    'Asinh': ('FP32', 'FP16'),
    'Atan': ('FP32', 'FP16'),
    'Atanh': ('FP32', 'FP16'),
    'AveragePool': ('FP32', 'FP16', 'INT8', 'INT32'),
    'BatchNormalization': ('FP32', 'FP16'),
    'Cast': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'Ceil': ('FP32', 'FP16'),
    'Celu': ('FP32', 'FP16'),
    'Clip': ('FP32', 'FP16', 'INT8'),
    'Concat': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'Constant': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'ConstantOfShape': ('FP32',),
    'Conv': ('FP32', 'FP16', 'INT8'),
    'ConvTranspose': ('FP32', 'FP16', 'INT8'),
    'Cos': ('FP32', 'FP16'),
    'Cosh': ('FP32', 'FP16'),
    'CumSum': ('FP32', 'FP16'),
    'DepthToSpace': ('FP32', 'FP16', 'INT32'),
    'DequantizeLinear': ('INT8',),
    'Div': ('FP32', 'FP16', 'INT32'),
    'Dropout': ('FP32', 'FP16'),
    'Einsum': ('FP32', 'FP16'),
    'Elu': ('FP32', 'FP16', 'INT8'),
    'Equal': ('FP32', 'FP16', 'INT32'),
    'Erf': ('FP32', 'FP16'),
    'Exp': ('FP32', 'FP16'),
    'Expand': ('FP32', 'FP16', 'INT32', 'BOOL'),
    'EyeLike': ('FP32', 'FP16', 'INT32', 'BOOL'),
    'Flatten': ('FP32', 'FP16', 'INT32', 'BOOL'),
    'Floor': ('FP32', 'FP16'),
    'Gather': ('FP32', 'FP16', 'INT8', 'INT32'),
    'GatherElements': ('FP32', 'FP16', 'INT8', 'INT32'),
    'GatherND': ('FP32', 'FP16', 'INT8', 'INT32'),
    'Gemm': ('FP32', 'FP16', 'INT8'),
    'GlobalAveragePool': ('FP32', 'FP16', 'INT8'),
    'GlobalLpPool': ('FP32', 'FP16', 'INT8'),
    'GlobalMaxPool': ('FP32', 'FP16', 'INT8'),
    'Greater': ('FP32', 'FP16', 'INT32'),
    'GreaterOrEqual': ('FP32', 'FP16', 'INT32'),
    'GRU': ('FP32', 'FP16'),
    'HardSigmoid': ('FP32', 'FP16', 'INT8'),
    'Identity': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'If': ('FP32', 'FP16', 'INT32', 'BOOL'),
    'ImageScaler': ('FP32', 'FP16'),
    'InstanceNormalization': ('FP32', 'FP16'),
    'IsNaN': ('FP32', 'FP16', 'INT32'),
    'LeakyRelu': ('FP32', 'FP16', 'INT8'),
    'Less': ('FP32', 'FP16', 'INT32'),
    'LessOrEqual': ('FP32', 'FP16', 'INT32'),
    'Log': ('FP32', 'FP16'),
    'LogSoftmax': ('FP32', 'FP16'),
    'Loop': ('FP32', 'FP16', 'INT32', 'BOOL'),
    'LRN': ('FP32', 'FP16'),
    'LSTM': ('FP32', 'FP16'),
    'LpNormalization': ('FP32', 'FP16'),
    'LpPool': ('FP32', 'FP16', 'INT8'),
    'MatMul': ('FP32', 'FP16'),
    'Max': ('FP32', 'FP16', 'INT32'),
    'MaxPool': ('FP32', 'FP16', 'INT8'),
    'Mean': ('FP32', 'FP16', 'INT32'),
    'Min': ('FP32', 'FP16', 'INT32'),
    'Mul': ('FP32', 'FP16', 'INT32'),
    'Neg': ('FP32', 'FP16', 'INT32'),
    'NonMaxSuppression': ('FP32', 'FP16'),
    'Not': ('BOOL',),
    'Or': ('BOOL',),
    'Pad': ('FP32', 'FP16', 'INT8', 'INT32'),
    'ParametricSoftplus': ('FP32', 'FP16', 'INT8'),
    'Pow': ('FP32', 'FP16'),
    'PRelu': ('FP32', 'FP16', 'INT8'),
    'QuantizeLinear': ('FP32', 'FP16'),
    'RandomUniform': ('FP32', 'FP16'),
    'RandomUniformLike': ('FP32', 'FP16'),
    'Range': ('FP32', 'FP16', 'INT32'),
    'ReduceL1': ('FP32', 'FP16'),
    'ReduceL2': ('FP32', 'FP16'),
    'ReduceLogSum': ('FP32', 'FP16'),
    'ReduceLogSumExp': ('FP32', 'FP16'),
    'ReduceMax': ('FP32', 'FP16'),
    'ReduceMean': ('FP32', 'FP16'),
    'ReduceMin': ('FP32', 'FP16'),
    'ReduceProd': ('FP32', 'FP16'),
    'ReduceSum': ('FP32', 'FP16'),
    'ReduceSumSquare': ('FP32', 'FP16'),
    'Relu': ('FP32', 'FP16', 'INT8'),
    'Reshape': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'Resize': ('FP32', 'FP16'),
    'ReverseSequence': ('FP32', 'FP16'),
    'RNN': ('FP32', 'FP16'),
    'Round': ('FP32', 'FP16', 'INT8'),
    'ScaledTanh': ('FP32', 'FP16', 'INT8'),
    'Scan': ('FP32', 'FP16'),
    'Scatter': ('FP32', 'FP16', 'INT8', 'INT32'),
    'ScatterElements': ('FP32', 'FP16', 'INT8', 'INT32'),
    'ScatterND': ('FP32', 'FP16', 'INT8', 'INT32'),
    'Selu': ('FP32', 'FP16', 'INT8'),
    'Shape': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'Sigmoid': ('FP32', 'FP16', 'INT8'),
    'Sign': ('FP32', 'FP16', 'INT8', 'INT32'),
    'Sin': ('FP32', 'FP16'),
    'Sinh': ('FP32', 'FP16'),
    'Size': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'Slice': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'Softmax': ('FP32', 'FP16'),
    'Softplus': ('FP32', 'FP16', 'INT8'),
    'Softsign': ('FP32', 'FP16', 'INT8'),
    'SpaceToDepth': ('FP32', 'FP16', 'INT32'),
    'Split': ('FP32', 'FP16', 'INT32', 'BOOL'),
    'Sqrt': ('FP32', 'FP16'),
    'Squeeze': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'Sub': ('FP32', 'FP16', 'INT32'),
    'Sum': ('FP32', 'FP16', 'INT32'),
    'Tan': ('FP32', 'FP16'),
    'Tanh': ('FP32', 'FP16', 'INT8'),
    'ThresholdedRelu': ('FP32', 'FP16', 'INT8'),
    'Tile': ('FP32', 'FP16', 'INT32', 'BOOL'),
    'TopK': ('FP32', 'FP16'),
    'Transpose': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'Unsqueeze': ('FP32', 'FP16', 'INT32', 'INT8', 'BOOL'),
    'Upsample': ('FP32', 'FP16'),
    'Where': ('FP32', 'FP16', 'INT32', 'BOOL'),
}
TRT82_UNSUPPORTED = frozenset({
    'BitShift', 'Compress', 'ConcatFromSequence', 'ConvInteger', 'Det', 'DynamicQuantizeLinear',
    'Hardmax', 'IsInf', 'MatMulInteger', 'MaxRoiPool', 'MaxUnpool', 'MeanVarianceNormalization',
    'Mod', 'Multinomial', 'NegativeLogLikelihoodLoss', 'NonZero', 'OneHot', 'QLinearConv',
    'QLinearMatMul', 'RandomNormal', 'RandomNormalLike', 'Reciprocal', 'RoiAlign', 'SequenceAt',
    'SequenceConstruct', 'SequenceEmpty', 'SequenceErase', 'SequenceInsert', 'SequenceLength',
    'Shrink', 'SoftmaxCrossEntropyLoss', 'SplitToSequence', 'StringNormalizer', 'TfIdfVectorizer',
    'Unique', 'Xor',
})

_TYPE_NAMES = {
    TensorProto.FLOAT: 'FP32', TensorProto.FLOAT16: 'FP16', TensorProto.INT32: 'INT32',
    TensorProto.INT8: 'INT8', TensorProto.BOOL: 'BOOL', TensorProto.UINT8: 'UINT8',
    # cast down by the parser
    TensorProto.INT64: 'INT32', TensorProto.DOUBLE: 'FP32',
}
# which input carries the data whose type the table restricts (default: input 0)
_DATA_INPUT = {'Where': 1}
# inputs that must be constant (initializer or Constant node): op -> input indices
_CONST_INPUTS = {
    'TopK': (1, ), 'Conv': (1, ), 'ConvTranspose': (1, ), 'Resize': (1, 2, 3),
    'Upsample': (1, ), 'Slice': (3, ), 'Squeeze': (1, ), 'Unsqueeze': (1, ), 'CumSum': (1, ),
    'InstanceNormalization': (1, 2), 'NonMaxSuppression': (2, 3, 4),
}
_RESIZE_MODES = {'nearest', 'linear'}
_RESIZE_COORD = {'half_pixel', 'pytorch_half_pixel', 'tf_half_pixel_for_nn', 'asymmetric',
                 'align_corners'}
_RESIZE_NEAREST = {'floor', 'ceil', 'round_prefer_floor', 'round_prefer_ceil'}


@dataclass
class Violation:
    """One reason TensorRT 8.2 would reject the graph."""
    node: str
    op: str
    message: str

    def __str__(self) -> str:
        return f'{self.node} ({self.op}): {self.message}'


def _elem_types(model: onnx.ModelProto) -> Dict[str, int]:
    inferred = onnx.shape_inference.infer_shapes(model)
    g = inferred.graph
    types = {}
    for vi in list(g.value_info) + list(g.input) + list(g.output):
        if vi.type.HasField('tensor_type'):
            types[vi.name] = vi.type.tensor_type.elem_type
    for init in g.initializer:
        types[init.name] = init.data_type
    for node in g.node:
        if node.op_type == 'Constant':
            for attr in node.attribute:
                if attr.name == 'value':
                    types[node.output[0]] = attr.t.data_type
    return types


_QDQ = ('QuantizeLinear', 'DequantizeLinear')


def _check_qdq(g: onnx.GraphProto, const: Set[str], types: Dict[str, int]) -> List[Violation]:
    """TensorRT 8.2's explicit-quantization rules for Q/DQ nodes: constant scales, zero points
    that are constant INT8 zeros (symmetric quantization), per-channel scales only on constant
    data (weights), and no INT32 (bias) dequantization."""
    from onnx import numpy_helper
    values = {t.name: t for t in g.initializer}
    values.update({n.output[0]: a.t for n in g.node if n.op_type == 'Constant'
                   for a in n.attribute if a.name == 'value'})
    out = []
    for node in g.node:
        if node.op_type not in _QDQ:
            continue
        name, op = node.name or node.output[0], node.op_type
        scale = node.input[1] if len(node.input) > 1 else ''
        zero = node.input[2] if len(node.input) > 2 else ''
        if scale not in const:
            out.append(Violation(name, op, 'the scale must be a constant'))
        elif numpy_helper.to_array(values[scale]).size > 1 and node.input[0] not in const:
            out.append(Violation(name, op, 'per-channel scales on an activation: TensorRT 8.2 '
                                 'takes per-tensor activation scales only'))
        if zero:
            if zero not in const:
                out.append(Violation(name, op, 'the zero point must be a constant'))
            else:
                z = values[zero]
                if z.data_type != TensorProto.INT8 or numpy_helper.to_array(z).any():
                    kind = TensorProto.DataType.Name(z.data_type)
                    out.append(Violation(name, op, f'zero point {kind} must be INT8 zeros: '
                                         'TensorRT 8.2 takes symmetric int8 quantization only'))
        if op == 'DequantizeLinear' and types.get(node.input[0]) == TensorProto.INT32:
            out.append(Violation(name, op, 'INT32 dequantization (a quantized bias) is not '
                                 'supported: keep biases float (QuantizeBias=False)'))
    return out


def _constants(g: onnx.GraphProto) -> Set[str]:
    """Initializers, Constant outputs, and Q/DQ of those (explicit quantization: TensorRT folds
    Q/DQ of a constant weight into the int8 weights)."""
    const = {t.name for t in g.initializer}
    const |= {n.output[0] for n in g.node if n.op_type == 'Constant'}
    for node in g.node:
        if node.op_type in _QDQ and node.input and node.input[0] in const:
            const.add(node.output[0])
    return const


def _check_graph_io(g: onnx.GraphProto, const: Set[str]) -> List[Violation]:
    out = []
    for vi, kind in [(v, 'input') for v in g.input if v.name not in const] + \
            [(v, 'output') for v in g.output]:
        t = vi.type.tensor_type.elem_type
        if t in (TensorProto.INT64, TensorProto.DOUBLE):
            out.append(Violation(vi.name, f'graph {kind}', f'{TensorProto.DataType.Name(t)} '
                                 f'graph {kind}: an engine has no such binding; cast it to '
                                 'INT32 / FLOAT in the graph'))
    return out


def _check_resize(name: str, attrs: dict) -> List[Violation]:
    mode = attrs.get('mode', b'nearest').decode()
    coord = attrs.get('coordinate_transformation_mode', b'half_pixel').decode()
    nearest = attrs.get('nearest_mode', b'round_prefer_floor').decode()
    out = []
    if mode not in _RESIZE_MODES:
        out.append(Violation(name, 'Resize', f'mode {mode!r} unsupported'))
    if coord not in _RESIZE_COORD:
        out.append(Violation(name, 'Resize', f'coordinate_transformation_mode {coord!r} '
                             'unsupported'))
    if mode == 'nearest' and nearest not in _RESIZE_NEAREST:
        out.append(Violation(name, 'Resize', f'nearest_mode {nearest!r} unsupported'))
    return out


def _check_types(name: str, node: onnx.NodeProto, attrs: dict,
                 types: Dict[str, int]) -> List[Violation]:
    """The element types the parser supports for ``node``'s op (its data input, a Cast's
    source and target, a ConstantOfShape's value)."""
    op = node.op_type
    if op == 'ConstantOfShape':
        value = attrs.get('value')
        checked = [('value', value.data_type if value is not None else TensorProto.FLOAT)]
    elif op == 'Cast':
        checked = [('to', attrs['to'])]
        if node.input[0] in types:
            checked.append((node.input[0], types[node.input[0]]))
    elif op == 'Constant':
        checked = []
    else:
        k = _DATA_INPUT.get(op, 0)
        checked = ([(node.input[k], types[node.input[k]])]
                   if k < len(node.input) and node.input[k] in types else [])
    allowed = TRT82_SUPPORTED[op]
    return [Violation(name, op, f'{tensor} is {TensorProto.DataType.Name(t)}; TensorRT 8.2 '
                      f'supports {op} for {", ".join(allowed)}')
            for tensor, t in checked
            if _TYPE_NAMES.get(t, TensorProto.DataType.Name(t)) not in allowed]


def _check_node(node: onnx.NodeProto, const: Set[str], types: Dict[str, int],
                allowed_custom_ops: Set[str]) -> List[Violation]:
    name, op = node.name or node.output[0], node.op_type
    if node.domain not in ('', 'ai.onnx'):
        return [] if op in allowed_custom_ops else [Violation(
            name, op, f'custom operator of domain {node.domain!r} needs a TensorRT plugin on '
            'the device')]
    if op in TRT82_UNSUPPORTED or op not in TRT82_SUPPORTED:
        return [Violation(name, op, 'operator not supported by the TensorRT 8.2 parser')]
    out = [Violation(name, op, f'input {k} ({node.input[k]}) must be a constant (initializer or '
                     'Constant node)')
           for k in _CONST_INPUTS.get(op, ())
           if k < len(node.input) and node.input[k] and node.input[k] not in const]
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    if op == 'MaxPool' and len(node.output) > 1 and node.output[1]:
        out.append(Violation(name, op, 'Indices output is unsupported'))
    if op == 'Resize':
        out += _check_resize(name, attrs)
    return out + _check_types(name, node, attrs, types)


def check_trt(model: Union[str, onnx.ModelProto], version: str = '8.2',
              allowed_custom_ops: Set[str] = frozenset()) -> List[Violation]:
    """Return every violation of TensorRT ``version``'s ONNX parser support in ``model``.

    Only ``'8.2'`` is tabulated. ``allowed_custom_ops``: custom-domain operators for which the
    device has a TensorRT plugin (e.g. mmdeploy's ``TRTBatchedNMS``).
    """
    if version != '8.2':
        raise ValueError(f'Only TensorRT 8.2 is tabulated, got {version!r}')
    if isinstance(model, str):
        model = onnx.load(model)
    out: List[Violation] = []
    for imp in model.opset_import:
        if imp.domain in ('', 'ai.onnx') and imp.version > MAX_OPSET:
            out.append(Violation('<model>', 'opset', f'opset {imp.version} > {MAX_OPSET}, the '
                                 'highest TensorRT 8.2 parses; export with opset 11'))
    g = model.graph
    const = _constants(g)
    types = _elem_types(model)
    out += _check_qdq(g, const, types)
    out += _check_graph_io(g, const)
    for node in g.node:
        out += _check_node(node, const, types, allowed_custom_ops)
    return out


__all__ = ['MAX_OPSET', 'TRT82_SUPPORTED', 'TRT82_UNSUPPORTED', 'Violation', 'check_trt']
