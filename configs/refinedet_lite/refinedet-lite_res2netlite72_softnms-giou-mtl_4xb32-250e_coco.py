# RefineDetLite Table 3 row (k) on COCO: (h) + balanced multi-task loss, Eq. (6) (paper, COCO: 28.7 AP).
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 250 epochs, SGD lr 0.004, linear warm-up over 500 iterations, /10 at 150, 200 epochs.
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite_res2netlite72_softnms-giou_4xb32-250e_coco.py'
model = dict(bbox_head=dict(multitask=dict(type='BalancedMultiTaskLoss')))
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'log_vars': dict(decay_mult=0.0)}))
