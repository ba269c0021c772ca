# onnxruntime, static input shape (taken from the model config's test pipeline).
_base_ = ['./_base_/onnx_detection.py']
backend_config = dict(type='onnxruntime')
