"""Half-precision ONNX weights and compute, float32 graph inputs and outputs (for TensorRT fp16).

The conversion is onnxruntime's maintained float16 converter (``onnxruntime.transformers.float16``,
the one of onnxconverter-common) with a block list: the operators in :data:`FP32_OPS` stay float32
with casts around them. What must never be half precision is index arithmetic (float16 holds
integers exactly only up to 2048): our graphs split indices in INT32 (``decode_centernet``) or
look them up in constant tables (``AnchorPostProcess``), so no float tensor carries an index;
``projects_tests/export/test_fp16_index_arithmetic.py`` checks every family's files for it.
"""

import onnx
from onnx import helper, numpy_helper
from onnxruntime.transformers.float16 import DEFAULT_OP_BLOCK_LIST, convert_float_to_float16

# Kept float32: the converter's defaults (TopK ranks scores, NonMaxSuppression is float32-only in
# the ONNX spec, Min/Max/Upsample/Range/CumSum lack float16 kernels in onnxruntime's CPU provider)
FP32_OPS = tuple(sorted(set(DEFAULT_OP_BLOCK_LIST) | {'TopK', 'NonMaxSuppression'}))
# inputs that the ONNX spec requires in float32 whatever the data type (Resize roi/scales, Upsample
# scales, NonMaxSuppression thresholds)
_FP32_CONSTANT_INPUTS = {'Resize': (1, 2), 'Upsample': (1, ), 'NonMaxSuppression': (3, 4)}


def convert_to_fp16(model: onnx.ModelProto) -> onnx.ModelProto:
    """Convert a float32 graph to float16 (initializers, constants, casts and intermediate
    tensors) except the :data:`FP32_OPS` nodes, keeping the float32 interface (a ``Cast`` after
    each float input and before each float output). Halves the file; TensorRT (``trtexec
    --fp16``) builds fp16 kernels from it.
    """
    keep = _fp32_constant_nodes(model.graph)
    model = convert_float_to_float16(model, keep_io_types=True, op_block_list=list(FP32_OPS),
                                     node_block_list=keep)
    _sort_topologically(model.graph)  # the converter appends its input casts at the end
    _fold_constant_casts(model.graph)
    return model


def _fold_constant_casts(graph: onnx.GraphProto) -> None:
    """Replace each ``Cast`` of a constant (or of a chain of casts of one) by a ``Constant``
    holding the original value cast once, and drop the constants nothing reads any more.

    The converter leaves casts around the constants it keeps in float32 (Resize's roi and scales,
    NMS thresholds); TensorRT 8.2's parser wants those inputs to be constants.
    """
    values = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for node in graph.node:
        if node.op_type == 'Constant' and node.attribute and node.attribute[0].name == 'value':
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    root: dict = {}
    for node in graph.node:
        if node.op_type != 'Cast' or node.input[0] not in values:
            continue
        src = root.get(node.input[0], node.input[0])
        to = next(a for a in node.attribute if a.name == 'to')
        dtype = helper.tensor_dtype_to_np_dtype(helper.get_attribute_value(to))
        value = values[src].astype(dtype)
        values[node.output[0]], root[node.output[0]] = value, src
        out, name = node.output[0], node.name
        node.Clear()
        node.CopyFrom(helper.make_node('Constant', [], [out], name=name,
                                       value=numpy_helper.from_array(value, out)))
    used = {i for n in graph.node for i in n.input} | {o.name for o in graph.output}
    kept = [n for n in graph.node if n.op_type != 'Constant' or n.output[0] in used]
    del graph.node[:]
    graph.node.extend(kept)


def _fp32_constant_nodes(graph: onnx.GraphProto) -> list:
    """Names of the ``Constant`` nodes that must keep their float32 values: TensorRT 8.2 wants
    Resize's scales and NonMaxSuppression's thresholds as constants (not a ``Cast`` of a
    constant), and a threshold rounded to float16 (0.45 -> 0.4500732) would change the NMS."""
    producers = {n.output[0]: n for n in graph.node if n.op_type == 'Constant'}
    names = []
    for node in graph.node:
        for k in _FP32_CONSTANT_INPUTS.get(node.op_type, ()):
            src = producers.get(node.input[k]) if k < len(node.input) else None
            if src is not None:
                src.name = src.name or f'{src.output[0]}_node'
                names.append(src.name)
    return names


def _sort_topologically(graph: onnx.GraphProto) -> None:
    """Reorder ``graph.node`` so that every node comes after the nodes it reads (ONNX's rule,
    which onnx.checker and TensorRT's parser enforce); the relative order is kept otherwise."""
    ready = {''} | {i.name for i in graph.input} | {t.name for t in graph.initializer}
    pending, ordered = list(graph.node), []
    while pending:
        rest = []
        for node in pending:
            if all(name in ready for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                rest.append(node)
        if len(rest) == len(pending):
            raise ValueError(f'fp16 graph has a cycle or an undefined input at {rest[0].name}')
        pending = rest
    del graph.node[:]
    graph.node.extend(ordered)


__all__ = ['FP32_OPS', 'convert_to_fp16']
