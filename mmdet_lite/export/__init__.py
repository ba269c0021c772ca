"""ONNX export for deployment (TensorRT 8.2 on Jetson TX2, onnxruntime); no mmdeploy needed."""

from .anchor_end2end import AnchorEnd2End
from .centernet_end2end import CenterNetEnd2End
from .export_onnx import check_shape, export_onnx, load_detector
from .head_family import ExportError, HeadFamily, end2end_module, head_family, model_stride

__all__ = ['AnchorEnd2End', 'CenterNetEnd2End', 'ExportError', 'HeadFamily', 'check_shape',
           'end2end_module', 'export_onnx', 'head_family', 'load_detector', 'model_stride']
