"""Half-precision ONNX weights and compute, with float32 graph inputs and outputs."""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# inputs that the ONNX spec requires in float32 whatever the data type (Resize roi/scales,
# NonMaxSuppression thresholds)
_KEEP_FP32_INPUTS = {'Resize': (1, 2), 'Upsample': (1, ), 'NonMaxSuppression': (3, 4)}
# operators defined for float32 only (ONNX NonMaxSuppression): their float16 data inputs are cast
# back to float32 (an onnxruntime session refuses the graph otherwise)
_FP32_ONLY_INPUTS = {'NonMaxSuppression': (0, 1)}


def _rename(graph: onnx.GraphProto, name: str, outputs: bool) -> str:
    """Rename tensor ``name`` to ``name + '_fp16'`` where nodes read it (and, with ``outputs``,
    where a node writes it); return the new name."""
    half = name + '_fp16'
    for node in graph.node:
        fields = (node.input, node.output) if outputs else (node.input, )
        for field in fields:
            for k, tensor in enumerate(field):
                if tensor == name:
                    field[k] = half
    return half


def convert_to_fp16(model: onnx.ModelProto) -> onnx.ModelProto:
    """Convert a float32 graph to float16 (initializers, constants, casts and intermediate
    tensors), keeping the float32 interface: a ``Cast`` after each float input and before each
    float output. Halves the file; TensorRT (``trtexec --fp16``) builds fp16 kernels from it.
    """
    g = model.graph
    keep = set()
    for node in g.node:
        for k in _KEEP_FP32_INPUTS.get(node.op_type, ()):
            if k < len(node.input) and node.input[k]:
                keep.add(node.input[k])
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT and init.name not in keep:
            arr = numpy_helper.to_array(init).astype(np.float16)
            init.CopyFrom(numpy_helper.from_array(arr, init.name))
    for node in g.node:
        for attr in node.attribute:
            if node.op_type == 'Cast' and attr.name == 'to' and attr.i == TensorProto.FLOAT:
                attr.i = TensorProto.FLOAT16
            elif (node.op_type in ('Constant', 'ConstantOfShape') and attr.name == 'value'
                  and attr.t.data_type == TensorProto.FLOAT and node.output[0] not in keep):
                arr = numpy_helper.to_array(attr.t).astype(np.float16)
                attr.t.CopyFrom(numpy_helper.from_array(arr, attr.t.name))
    for vi in g.value_info:
        if vi.type.tensor_type.elem_type == TensorProto.FLOAT:
            vi.type.tensor_type.elem_type = TensorProto.FLOAT16
    head = [helper.make_node('Cast', [inp.name], [_rename(g, inp.name, outputs=False)],
                             to=TensorProto.FLOAT16, name=f'Cast_{inp.name}_to_fp16')
            for inp in g.input if inp.type.tensor_type.elem_type == TensorProto.FLOAT]
    tail = [helper.make_node('Cast', [_rename(g, out.name, outputs=True)], [out.name],
                             to=TensorProto.FLOAT, name=f'Cast_{out.name}_to_fp32')
            for out in g.output if out.type.tensor_type.elem_type == TensorProto.FLOAT]
    body = []
    for node in g.node:
        for k in _FP32_ONLY_INPUTS.get(node.op_type, ()):
            if k < len(node.input) and node.input[k]:
                cast = f'{node.input[k]}_fp32_for_{node.name or node.output[0]}'
                body.append(helper.make_node('Cast', [node.input[k]], [cast],
                                             to=TensorProto.FLOAT, name=f'Cast_{cast}'))
                node.input[k] = cast
        body.append(node)
    nodes = head + body + tail
    del g.node[:]
    g.node.extend(nodes)
    return model


__all__ = ['convert_to_fp16']
