# onnxruntime, static input shape (taken from the model config's test pipeline).
_base_ = ['./_base_/onnx_detection.py']
custom_imports = dict(imports=['mmdet_lite', 'mmdet_lite.deploy'], allow_failed_imports=False)
backend_config = dict(type='onnxruntime')
