# RefineDetLite, Res2NetLite72, 320x320, COCO; basic configuration (Sec. 5.1, Table 2: 26.8 AP),
# Table 3 row (c): Res2Blocks + Light-heads.
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 250 epochs, SGD lr 0.004, linear warm-up over 500 iterations, /10 at 150, 200 epochs.
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = [
    '../_base_/models/refinedet-lite_res2netlite72.py', '../_base_/datasets/coco_ssd320.py',
    '../_base_/schedules/refinedet_sgd_250e.py', '../_base_/default_runtime.py'
]
# COCO results are mAP@[.5:.95]: keep the best checkpoint by it (default_runtime.py keeps AP@0.5,
# what the Mobile CenterNet paper reports on its driving data)
default_hooks = dict(checkpoint=dict(save_best='coco/bbox_mAP'))
