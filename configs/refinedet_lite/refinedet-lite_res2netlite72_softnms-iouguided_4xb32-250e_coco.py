# RefineDetLite Table 3 row (f) on COCO: (d) + IoU-guided loss, Eq. (3)-(4) (paper, COCO: 27.5 AP).
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 250 epochs, SGD lr 0.004, linear warm-up over 500 iterations, /10 at 150, 200 epochs.
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite_res2netlite72_softnms_4xb32-250e_coco.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(iou_guided=True, alpha=0.25, beta=0.9)))
