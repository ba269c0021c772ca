"""ONNX export for deployment (TensorRT 8.2 on Jetson TX2, onnxruntime); no mmdeploy needed."""

from .anchor_end2end import AnchorEnd2End
from .centernet_end2end import CenterNetEnd2End
from .export_onnx import check_shape, export_onnx, load_detector, trace_onnx
from .head_family import ExportError, HeadFamily, end2end_module, head_family, model_stride
from .network_only import NetworkOnly, export_network_only

__all__ = ['AnchorEnd2End', 'CenterNetEnd2End', 'ExportError', 'HeadFamily', 'NetworkOnly',
           'check_shape', 'end2end_module', 'export_network_only', 'export_onnx', 'head_family',
           'load_detector', 'model_stride', 'trace_onnx']
