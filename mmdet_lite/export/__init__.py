"""ONNX export for deployment (TensorRT 8.2 on Jetson TX2, onnxruntime); no mmdeploy needed."""

from .anchor_end2end import AnchorEnd2End
from .centernet_end2end import CenterNetEnd2End
from .export_onnx import ExportError, check_shape, export_onnx, load_detector, model_stride

__all__ = ['AnchorEnd2End', 'CenterNetEnd2End', 'ExportError', 'check_shape', 'export_onnx',
           'load_detector', 'model_stride']
