# RefineDetLite Table 3 row (f) on COCO: (d) + IoU-guided loss, Eq. (3)-(4) (paper, COCO: 27.5 AP).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite_table3-d_coco.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(iou_guided=True, alpha=0.25, beta=0.9)))
