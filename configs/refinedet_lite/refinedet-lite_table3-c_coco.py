# RefineDetLite Table 3 row (c) on COCO: RefineDetLite: Res2Blocks + Light-heads, the basic configuration (paper, COCO: 26.8 AP).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite_res2netlite72_coco.py'
