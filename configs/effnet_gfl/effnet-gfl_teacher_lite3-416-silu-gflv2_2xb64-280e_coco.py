# The localization-distillation teacher of Table 2 row 5 (the paper does not name it): the same
# family one size up the EfficientNet-Lite ladder, Lite3 (8.2 M backbone parameters against
# Lite1's 5.4 M) with a 128-channel PAN and head, GFLv2, dense, trained like row 3.
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 280 epochs, SGD lr 0.16, linear warm-up over 500 iterations, /10 at 240, 260, 275
#  epochs.
# Paper: none (the paper does not name its teacher).
# Trained on 2 GPUs x 64 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './effnet-gfl_row3_lite1-416-silu-gflv1-amp_2xb64-280e_coco.py'
model = dict(
    # ImageNet weights of Lite3: `make checkpoints/tf_efficientnet_lite3_imagenet.pth`
    backbone=dict(arch='lite3', init_cfg=dict(
        checkpoint='{{ fileDirname }}/../../checkpoints/tf_efficientnet_lite3_imagenet.pth')),
    neck=dict(in_channels=[48, 136, 384], out_channels=128),
    bbox_head=dict(type='GFLv2Head', in_channels=128, feat_channels=128))
