# Row 4 with EfficientNet-Lite's own ReLU6 in place of SiLU (row 1's activation; not a Table 2
# row): the int8 deployment variant for CPUs. onnxruntime folds ReLU6 into its integer convs, but
# runs SiLU as two table/multiply ops that cost more than the float SiLU they replace
# (tools/benchmark_latency.py, README "Deployed accuracy and INT8").
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 280 epochs, SGD lr 0.16, linear warm-up over 500 iterations, /10 at 240, 260, 275
#  epochs.
# Paper: none (not a Table 2 row).
# Trained on 2 GPUs x 64 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_2xb64-280e_coco.py'
model = dict(backbone=dict(act_cfg=dict(type='ReLU6')))
