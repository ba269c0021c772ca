"""Post-training static INT8 quantization of an exported end-to-end detector (QDQ format).

onnxruntime's quantizer (``quantize_static``), QDQ format at opset 13 (per-channel weight
scales need ``axis`` on Q/DQ; TensorRT 8.2 parses opset <= 13; an opset-11 export is
converted), int8 weights per output channel, for one of two targets:

- ``target='onnxruntime'`` (CPUs): activations **uint8, asymmetric**. onnxruntime turns each
  DequantizeLinear -> Conv -> QuantizeLinear group into an integer ``QLinearConv`` and drops the
  ReLU after a conv when its output's zero point is the range's minimum, so the whole network
  runs in integers.
- ``target='tensorrt'`` (explicit quantization, TensorRT >= 8.0): activations **int8,
  symmetric** (zero point 0, the only kind TensorRT takes), float weights with a Q/DQ pair
  (TensorRT folds them into int8 weights), float biases (an int32 bias ``DequantizeLinear`` is
  rejected by TensorRT 8.2). onnxruntime runs this file too, but keeps each ReLU in float between
  Q/DQ (a symmetric range cannot clamp at zero) and fuses only part of the convs: it is for
  TensorRT, which fuses conv + ReLU + Q/DQ itself.

Both quantize only the network: the nodes of the detector's ``backbone``, ``neck`` and
``bbox_head`` (their ONNX scope). Input normalisation, box decoding, top-k and NMS stay float:
they are cheap, their index arithmetic must stay exact, and a quantized box coordinate would move
boxes by up to a quantization step. ``keep_float_outputs`` (default) also keeps the head's output
layers float (:func:`network_output_nodes`: the score / heatmap and box convs and what follows
them): they are a few small convs, and the scores they produce rank every detection (the cost of
quantizing them too is in the README's deployment tables). The caller calibrates on real images:
the training split through the config's test pipeline.
"""

from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
import onnx

from .head_family import ExportError
from .onnx_detector import export_metadata, read_metadata, set_metadata

NETWORK_SCOPES = ('/backbone/', '/neck/', '/bbox_head/')
QDQ_OPSET = 13
CALIBRATION_METHODS = ('minmax', 'percentile', 'entropy')
TARGETS = ('onnxruntime', 'tensorrt')


def network_nodes(model: onnx.ModelProto) -> List[str]:
    """Names of the nodes inside the detector network (backbone, neck, head) by ONNX scope."""
    return [n.name for n in model.graph.node if n.name.startswith(NETWORK_SCOPES)]


def network_output_nodes(model: onnx.ModelProto) -> List[str]:
    """The head's output layers: every network node whose output is read outside the network
    (by decoding or as a graph output), and the nodes behind it back to the last convolution
    of each branch, that convolution included (e.g. the heatmap / score / box convs, GFLv2's
    ``sigmoid(cls) * sigmoid(q)`` and its two convs, a ``Scale`` after the box conv)."""
    inside = set(network_nodes(model))
    produced_by = {o: n for n in model.graph.node for o in n.output}
    last = []
    for node in model.graph.node:
        if node.name in inside:
            continue
        last += [produced_by[i] for i in node.input
                 if i in produced_by and produced_by[i].name in inside]
    last += [produced_by[o.name] for o in model.graph.output
             if o.name in produced_by and produced_by[o.name].name in inside]
    out, todo = set(), list(last)
    while todo:
        node = todo.pop()
        if node.name in out:
            continue
        out.add(node.name)
        if node.op_type == 'Conv':
            continue  # the branch's last conv: the layers before it stay quantized
        todo += [produced_by[i] for i in node.input
                 if i in produced_by and produced_by[i].name in inside]
    return sorted(out)


class _Reader:
    """onnxruntime ``CalibrationDataReader`` over an iterable of ``[3, H, W]`` images."""

    def __init__(self, input_name: str, images: Iterable[np.ndarray]) -> None:
        self.input_name = input_name
        self._it: Iterator[np.ndarray] = iter(images)
        self.count = 0

    def get_next(self) -> Optional[dict]:
        image = next(self._it, None)
        if image is None:
            return None
        self.count += 1
        return {self.input_name: np.ascontiguousarray(image, np.float32)[None]}

    def rewind(self) -> None:  # one pass is all quantize_static asks for
        pass


def to_opset(model: onnx.ModelProto, opset: int = QDQ_OPSET) -> onnx.ModelProto:
    """``model`` at ``opset`` (onnx's version converter), unchanged if already there."""
    current = max((i.version for i in model.opset_import if i.domain in ('', 'ai.onnx')),
                  default=0)
    if current == opset:
        return model
    if current > opset:
        raise ExportError(f'the model has opset {current}; per-channel Q/DQ for TensorRT 8.2 '
                          f'needs opset {opset}: export with --opset {opset}')
    from onnx import version_converter
    meta = list(model.metadata_props)
    converted = version_converter.convert_version(model, opset)
    del converted.metadata_props[:]
    converted.metadata_props.extend(meta)
    return converted


def _load_fp32(model_in: str, target: str, method: str) -> Tuple[onnx.ModelProto, dict]:
    """The fp32 file at the QDQ opset, and its metadata; other precisions are refused."""
    if target not in TARGETS:
        raise ValueError(f'target must be one of {TARGETS}, got {target!r}')
    if method not in CALIBRATION_METHODS:
        raise ValueError(f'method must be one of {CALIBRATION_METHODS}, got {method!r}')
    model = onnx.load(model_in)
    meta = read_metadata(model)
    precision = meta.get('mmdet_lite.precision', 'fp32')
    if precision != 'fp32':
        raise ExportError(f'{model_in} is a {precision} file; quantize the fp32 export '
                          '(tools/export_onnx.py without --fp16)')
    return to_opset(model), meta


def _quantize_static(model: onnx.ModelProto, model_in: str, model_out: str, reader: '_Reader',
                     targets: List[str], target: str, method: str, per_channel: bool) -> None:
    """onnxruntime's static QDQ quantizer with each target's activation/weight scheme."""
    import os
    import tempfile

    from onnxruntime.quantization import (
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    trt = target == 'tensorrt'
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'fp32_opset13.onnx')
        onnx.save(model, src)
        try:
            quantize_static(
                src, model_out, reader, quant_format=QuantFormat.QDQ, per_channel=per_channel,
                activation_type=QuantType.QInt8 if trt else QuantType.QUInt8,
                weight_type=QuantType.QInt8, nodes_to_quantize=targets,
                calibrate_method={'minmax': CalibrationMethod.MinMax,
                                  'percentile': CalibrationMethod.Percentile,
                                  'entropy': CalibrationMethod.Entropy}[method],
                extra_options=dict(ActivationSymmetric=True, WeightSymmetric=True,
                                   QuantizeBias=False, AddQDQPairToWeight=True,
                                   DedicatedQDQPair=True) if trt else
                dict(ActivationSymmetric=False, WeightSymmetric=True))
        except AssertionError as err:  # onnxruntime asserts on a NaN / inf calibration range
            raise ExportError(
                f'{model_in}: onnxruntime could not compute the int8 scales ({err}): an activation '
                'of the fp32 model is NaN or infinite on the calibration images; check the '
                'weights (run the fp32 file with tools/test_deployed.py)') from err


def _carry_metadata(model_out: str, meta: dict, quantization: str) -> onnx.ModelProto:
    """The fp32 file's metadata on the int8 file, precision int8, and how it was quantized."""
    import json
    out = onnx.load(model_out)
    old = {k[len('mmdet_lite.'):]: v for k, v in meta.items()}
    if old:
        h, w = (int(v) for v in old['input_shape'].split())
        set_metadata(out, **export_metadata(json.loads(old['classes']), (h, w), 'int8',
                                            old.get('config', ''),
                                            old.get('model_fingerprint', '')))
    else:
        set_metadata(out, precision='int8')
    set_metadata(out, quantization=quantization)
    onnx.save(out, model_out)
    return out


def quantize_detector(model_in: str, model_out: str, images: Iterable[np.ndarray],
                      target: str = 'onnxruntime', method: str = 'minmax',
                      per_channel: bool = True,
                      keep_float_outputs: bool = True,
                      keep_float_nodes: Sequence[str] = ()) -> dict:
    """Write the int8 QDQ version of the fp32 end-to-end file ``model_in`` to ``model_out``,
    calibrated on ``images`` (``[3, H, W]`` raw BGR pixels at the model's input size).

    Returns a summary: calibration image count, quantized / kept-float node counts.
    """
    model, meta = _load_fp32(model_in, target, method)
    targets = network_nodes(model)
    if not targets:
        raise ExportError(f'{model_in} has no node under {NETWORK_SCOPES}: quantize a file '
                          'written by tools/export_onnx.py')
    keep = set(keep_float_nodes)
    if keep_float_outputs:
        keep |= set(network_output_nodes(model))
    targets = [n for n in targets if n not in keep]
    reader = _Reader(model.graph.input[0].name, images)
    _quantize_static(model, model_in, model_out, reader, targets, target, method, per_channel)
    if reader.count == 0:
        raise ExportError('no calibration image was read')
    out = _carry_metadata(model_out, meta, f'{target}: {reader.count} calibration images, '
                          f'{method}, {"per-channel" if per_channel else "per-tensor"} weights')
    qdq = sum(n.op_type == 'QuantizeLinear' for n in out.graph.node)
    return dict(calibration_images=reader.count, quantized_nodes=len(targets),
                float_network_nodes=len(keep), quantize_linear=qdq)


__all__ = ['CALIBRATION_METHODS', 'NETWORK_SCOPES', 'TARGETS', 'network_nodes',
           'network_output_nodes', 'quantize_detector', 'to_opset']
