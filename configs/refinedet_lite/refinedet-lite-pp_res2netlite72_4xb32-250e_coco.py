# RefineDetLite++ (Sec. 5.1 advanced configuration, Table 2: 29.6 AP; Table 3 row (o), every
# strategy): GIoU regression, IoU-guided loss (alpha 0.25, beta 0.90), class weights (gamma 3/4,
# W 10), balanced multi-task loss, soft-NMS; lr 1e-2 / 1e-3 / 1e-4 over the same epochs.
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 250 epochs, SGD lr 0.01, linear warm-up over 500 iterations, /10 at 150, 200 epochs.
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite_res2netlite72_4xb32-250e_coco.py'
model = dict(
    bbox_head=dict(
        reg_decoded_bbox=True, loss_bbox=dict(_delete_=True, type='GIoULoss', loss_weight=1.0),
        loss_odm_cls=dict(iou_guided=True, alpha=0.25, beta=0.9, class_weights='auto'),
        multitask=dict(type='BalancedMultiTaskLoss')),
    test_cfg=dict(nms=dict(_delete_=True, type='soft_nms', iou_threshold=0.45, sigma=0.5,
                           method='gaussian', min_score=0.001)))
custom_hooks = [dict(type='ClassBalancedWeightsHook', W=10.0, gamma=0.75)]
# the log-variances of Eq. (6) are not weights to shrink
optim_wrapper = dict(optimizer=dict(lr=1e-2),
                     paramwise_cfg=dict(custom_keys={'log_vars': dict(decay_mult=0.0)}))
