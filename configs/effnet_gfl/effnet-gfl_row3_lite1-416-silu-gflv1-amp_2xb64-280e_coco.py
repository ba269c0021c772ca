# Table 2 row 3: row 2 with SiLU and mixed-precision training (paper: 27.61 mAP). On GPU the
# wrapper is mmengine's AmpOptimWrapper (fp16, dynamic loss scale); on CPU bf16 autocast where
# the CPU has bf16 instructions, fp32 elsewhere.
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 280 epochs, SGD lr 0.16, linear warm-up over 500 iterations, /10 at 240, 260, 275
#  epochs.
# Trained on 2 GPUs x 64 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './effnet-gfl_row2_lite1-416-mish-gflv1_2xb64-280e_coco.py'
model = dict(backbone=dict(act_cfg=dict(type='SiLU')))
optim_wrapper = dict(type='MixedPrecisionOptimWrapper', loss_scale='dynamic')
