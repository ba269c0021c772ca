# TensorRT 8.2 (Jetson TX2, JetPack 4.6), fp16, static shape, batch 1: the size configs set
# onnx_config.input_shape ([W, H]) and the engine's input shapes.
_base_ = ['./onnx_detection.py']
backend_config = dict(type='tensorrt', common_config=dict(fp16_mode=True,
                                                          max_workspace_size=1 << 30))
