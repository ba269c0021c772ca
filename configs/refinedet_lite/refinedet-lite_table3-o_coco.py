# RefineDetLite Table 3 row (o) on COCO: RefineDetLite++: every strategy, the advanced configuration (paper, COCO: 29.6 AP).
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 250 epochs, SGD lr 0.01, linear warm-up over 500 iterations, /10 at 150, 200 epochs.
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './refinedet-lite-pp_res2netlite72_coco.py'
