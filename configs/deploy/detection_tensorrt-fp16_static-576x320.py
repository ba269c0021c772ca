# TensorRT 8.2 (Jetson TX2, JetPack 4.6), fp16, static 576x320: Mobile CenterNet (paper input).
# Convert with tools/deploy.py on a CUDA machine, or export on a CPU with tools/export_onnx.py
# --shape 320 576; build the engine on the device (README).
_base_ = ['./_base_/tensorrt-fp16_static.py']
onnx_config = dict(input_shape=[576, 320])
backend_config = dict(model_inputs=[dict(input_shapes=dict(input=dict(
    min_shape=[1, 3, 320, 576], opt_shape=[1, 3, 320, 576], max_shape=[1, 3, 320, 576])))])
