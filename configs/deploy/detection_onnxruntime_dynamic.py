# onnxruntime, dynamic batch and image size.
_base_ = ['./_base_/onnx_detection.py']
custom_imports = dict(imports=['mmdet_lite', 'mmdet_lite.deploy'], allow_failed_imports=False)
backend_config = dict(type='onnxruntime')
onnx_config = dict(dynamic_axes=dict(
    input=dict({0: 'batch', 2: 'height', 3: 'width'}),
    dets=dict({0: 'batch', 1: 'num_dets'}),
    labels=dict({0: 'batch', 1: 'num_dets'})))
