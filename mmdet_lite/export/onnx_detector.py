"""An exported end-to-end ONNX detector run with onnxruntime, and the metadata our exports carry.

Every file written by :func:`~mmdet_lite.export.export_onnx` (and by
:func:`~mmdet_lite.export.quantize.quantize_detector`) records in its ``metadata_props`` what a
user needs to run it right: the classes in label order, the input shape ``H W``, the precision
(``fp32``, ``fp16``, ``int8``) and the config it was exported from. :class:`OnnxDetector` reads
them and refuses a model that does not fit the config it is asked to serve.
"""

import json
import os.path as osp
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import onnx

from .head_family import ExportError

META_CLASSES = 'mmdet_lite.classes'
META_INPUT_SHAPE = 'mmdet_lite.input_shape'
META_PRECISION = 'mmdet_lite.precision'
META_CONFIG = 'mmdet_lite.config'
META_MODEL = 'mmdet_lite.model_fingerprint'
PRECISIONS = ('fp32', 'fp16', 'int8')


def set_metadata(model: onnx.ModelProto, **values: str) -> onnx.ModelProto:
    """Set (or replace) ``mmdet_lite.<key>`` entries of ``model.metadata_props``."""
    keep = [p for p in model.metadata_props if p.key not in {f'mmdet_lite.{k}' for k in values}]
    del model.metadata_props[:]
    model.metadata_props.extend(keep)
    for key, value in values.items():
        model.metadata_props.add(key=f'mmdet_lite.{key}', value=str(value))
    return model


def export_metadata(classes: Sequence[str], input_shape: Tuple[int, int], precision: str,
                    config: str, fingerprint: str = '') -> Dict[str, str]:
    """The metadata values of an export (keys without the ``mmdet_lite.`` prefix);
    ``fingerprint``: the config's :func:`~mmdet_lite.export.deploy_info.model_fingerprint`."""
    if precision not in PRECISIONS:
        raise ValueError(f'precision must be one of {PRECISIONS}, got {precision!r}')
    return dict(classes=json.dumps(list(classes)),
                input_shape=f'{int(input_shape[0])} {int(input_shape[1])}',
                precision=precision, config=config, model_fingerprint=fingerprint)


def read_metadata(model: onnx.ModelProto) -> Dict[str, str]:
    """``mmdet_lite.*`` metadata of ``model`` (empty for a file exported by something else)."""
    return {p.key: p.value for p in model.metadata_props if p.key.startswith('mmdet_lite.')}


class OnnxDetector:
    """``image [3, H, W]`` (raw BGR pixels) -> ``(boxes [n, 4], scores [n], labels [n])``.

    Runs one of our end-to-end files (``input [1, 3, H, W]`` -> ``dets [1, K, 5]``,
    ``labels [1, K]``) on onnxruntime's CPU provider. Rows with score 0 (the padding of the
    anchor families' fixed ``K``) are dropped. ``threads``: intra-op threads (None: all cores).

    Attributes: ``classes`` (tuple, or None for a file without our metadata), ``input_shape``
    ``(H, W)``, ``precision`` (``'fp32'``/``'fp16'``/``'int8'``, or None), ``config``.
    """

    def __init__(self, path: str, threads: Optional[int] = None) -> None:
        import onnxruntime as ort
        if not osp.isfile(path):
            raise ExportError(f'ONNX model {path!r} not found.')
        try:
            meta = read_metadata(onnx.load(path, load_external_data=False))
        except Exception as err:  # noqa: BLE001 (protobuf raises several types)
            raise ExportError(f'{path} is not a readable ONNX model: {err}') from err
        self.path = path
        self.classes = (tuple(json.loads(meta[META_CLASSES])) if META_CLASSES in meta
                        else None)
        self.precision = meta.get(META_PRECISION)
        self.config = meta.get(META_CONFIG)
        self.model = meta.get(META_MODEL) or None
        opts = ort.SessionOptions()
        if threads is not None:
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(path, opts, providers=['CPUExecutionProvider'])
        inputs = self.session.get_inputs()
        outputs = [o.name for o in self.session.get_outputs()]
        if len(inputs) != 1 or outputs[:2] != ['dets', 'labels']:
            raise ExportError(
                f'{path} is not an end-to-end detector of this package (inputs '
                f'{[i.name for i in inputs]}, outputs {outputs}; expected input -> dets, labels): '
                'export it with tools/export_onnx.py.')
        self.input_name = inputs[0].name
        shape = inputs[0].shape
        if len(shape) != 4 or not all(isinstance(d, int) for d in shape[2:]):
            raise ExportError(f'{path}: input shape {shape} is not a static [1, 3, H, W]')
        self.input_shape = (int(shape[2]), int(shape[3]))

    def check_fits(self, classes: Sequence[str], input_shape: Optional[Tuple[int, int]],
                   config: str, model: Optional[str] = None) -> None:
        """Refuse a model trained on other classes, exported at another input size than the
        one ``config``'s test pipeline produces, or from a config whose model (architecture,
        data preprocessor, test settings: the fingerprint ``model``) differs, naming the fix."""
        if model is not None and self.model is not None and model != self.model:
            raise ExportError(
                f'{self.path} was exported from {self.config}, whose model (architecture, '
                f'normalisation or test settings) differs from that of {config}: evaluate it '
                'with the config it was exported from, or export the checkpoint with this one.')
        if self.classes is not None and tuple(classes) != self.classes:
            raise ExportError(
                f'{self.path} predicts the classes {list(self.classes)}, but {config} evaluates '
                f'{list(classes)}: pass the config the model was trained with (the file records '
                f'{self.config}).')
        if input_shape is not None and tuple(input_shape) != self.input_shape:
            h, w = input_shape
            raise ExportError(
                f'{self.path} takes {self.input_shape[0]}x{self.input_shape[1]} (H x W) inputs, '
                f"but {config}'s test pipeline resizes images to {h}x{w}: export the checkpoint "
                f'again with --shape {h} {w}.')

    def __call__(self, image: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        if tuple(image.shape[-2:]) != self.input_shape:
            raise ExportError(f'{self.path} takes {self.input_shape} (H, W) images, got '
                              f'{tuple(image.shape[-2:])}')
        feed = np.ascontiguousarray(image, dtype=np.float32).reshape(1, 3, *self.input_shape)
        dets, labels = self.session.run(['dets', 'labels'], {self.input_name: feed})
        keep = dets[0, :, 4] > 0
        return dets[0, keep, :4], dets[0, keep, 4], labels[0, keep].astype(np.int64)


__all__ = ['META_CLASSES', 'META_CONFIG', 'META_INPUT_SHAPE', 'META_MODEL', 'META_PRECISION',
           'OnnxDetector', 'PRECISIONS', 'export_metadata', 'read_metadata', 'set_metadata']
