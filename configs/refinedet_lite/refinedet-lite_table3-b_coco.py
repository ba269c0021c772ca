# RefineDetLite Table 3 row (b) on COCO: Res2Blocks, 3x3 convs instead of Light-heads (paper, COCO: 25.7 AP).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite_res2netlite72_coco.py'
model = dict(bbox_head=dict(head='conv3x3'))
