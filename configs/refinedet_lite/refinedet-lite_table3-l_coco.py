# RefineDetLite Table 3 row (l) on COCO: (h) + class weights + IoU-guided loss, where the two
# meet in Eq. (2) (paper, COCO: 29.0 AP).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite_table3-i_coco.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(iou_guided=True, alpha=0.25, beta=0.9)))
