# RefineDetLite Table 3 row (o) on COCO: RefineDetLite++: every strategy, the advanced configuration (paper, COCO: 29.6 AP).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite-pp_res2netlite72_coco.py'
