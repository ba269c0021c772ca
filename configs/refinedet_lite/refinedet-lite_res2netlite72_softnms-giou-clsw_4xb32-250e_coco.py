# RefineDetLite Table 3 row (i) on COCO: (h) + dataset-aware class weights, Eq. (5) (paper, COCO: 28.5 AP).
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 250 epochs, SGD lr 0.004, linear warm-up over 500 iterations, /10 at 150, 200 epochs.
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite_res2netlite72_softnms-giou_4xb32-250e_coco.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(class_weights='auto')))
custom_hooks = [dict(type='ClassBalancedWeightsHook', W=10.0, gamma=0.75)]
