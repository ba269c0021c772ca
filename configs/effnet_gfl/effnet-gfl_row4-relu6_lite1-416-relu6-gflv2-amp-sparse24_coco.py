# Row 4 with EfficientNet-Lite's own ReLU6 in place of SiLU (row 1's activation; not a Table 2
# row): the int8 deployment variant for CPUs. onnxruntime folds ReLU6 into its integer convs, but
# runs SiLU as two table/multiply ops that cost more than the float SiLU they replace
# (tools/benchmark_latency.py, README "Deployed accuracy and INT8").
# Trained on 2 GPUs x 64 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_coco.py'
model = dict(backbone=dict(act_cfg=dict(type='ReLU6')))
