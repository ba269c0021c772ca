# RefineDetLite Table 3 row (e) on COCO: (d) + dataset-aware class weights, Eq. (5) (paper, COCO: 27.4 AP).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite_table3-d_coco.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(class_weights='auto')))
custom_hooks = [dict(type='ClassBalancedWeightsHook', W=10.0, gamma=0.75)]
