# TensorRT 8.2 (Jetson TX2, JetPack 4.6), fp16, static 576x320: Mobile CenterNet (paper input 576x320).
# Convert on the host to ONNX (tools/deploy.py), build the engine on the device (README).
_base_ = ['./_base_/onnx_detection.py']
onnx_config = dict(input_shape=[576, 320])
backend_config = dict(
    type='tensorrt',
    common_config=dict(fp16_mode=True, max_workspace_size=1 << 30),
    model_inputs=[dict(input_shapes=dict(input=dict(
        min_shape=[1, 3, 320, 576], opt_shape=[1, 3, 320, 576], max_shape=[1, 3, 320, 576])))])
