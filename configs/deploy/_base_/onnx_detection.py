# mmdeploy deploy-config base: end-to-end detection ONNX (opset 11) with dets/labels outputs.
# Importing mmdet_lite.deploy registers our rewriters and the torch 2.13 exporter fix.
custom_imports = dict(imports=['mmdet_lite', 'mmdet_lite.deploy'], allow_failed_imports=False)
onnx_config = dict(
    type='onnx', export_params=True, keep_initializers_as_inputs=False, opset_version=11,
    save_file='end2end.onnx', input_names=['input'], output_names=['dets', 'labels'],
    input_shape=None, optimize=True)
codebase_config = dict(
    type='mmdet', task='ObjectDetection', model_type='end2end',
    # pre_top_k <= 1000 for batched NMS on Jetson (NVIDIA's TX2 guidance); CenterNet has no NMS
    post_processing=dict(score_threshold=0.05, confidence_threshold=0.005, iou_threshold=0.5,
                         max_output_boxes_per_class=200, pre_top_k=1000, keep_top_k=100,
                         background_label_id=-1))
