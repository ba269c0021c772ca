# Table 2 row 1 of the EfficientNet-Lite + GFLv2 paper: EfficientNet-Lite0, 320x320, ReLU6,
# GFLv1 head (paper, COCO val: 24.7 mAP, 405 FPS on an RTX 2080 Ti). Rows 2-5 inherit from it.
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 280 epochs, SGD lr 0.16, linear warm-up over 500 iterations, /10 at 240, 260, 275
#  epochs.
# Trained on 2 GPUs x 64 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = [
    '../_base_/models/effnet-gfl_lite0.py', '../_base_/datasets/coco_gfl_mosaic.py',
    '../_base_/schedules/effnet_gfl_sgd_280e.py', '../_base_/default_runtime.py'
]
# The backbone starts from ImageNet weights, as the paper's: timm's tf_efficientnet_lite0 (ported
# from TensorFlow's EfficientNet-Lite), converted once by
# `make checkpoints/tf_efficientnet_lite0_imagenet.pth` (downloads 19 MB;
# tools/model_converters/efficientnet_lite_to_mmdet_lite.py). They were trained with TensorFlow's
# SAME padding on inputs scaled to [-1, 1]: hence tf_padding and the 127.5 mean / std.
imagenet_checkpoint = '{{ fileDirname }}/../../checkpoints/tf_efficientnet_lite0_imagenet.pth'
model = dict(
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5]),
    backbone=dict(tf_padding=True, init_cfg=dict(type='Pretrained',
                                                 checkpoint=imagenet_checkpoint)))
# COCO results are mAP@[.5:.95]: keep the best checkpoint by it (default_runtime.py keeps AP@0.5,
# what the Mobile CenterNet paper reports on its driving data)
default_hooks = dict(checkpoint=dict(save_best='coco/bbox_mAP'))
