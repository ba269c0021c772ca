# 1/4 VGG16 SSD300 student (Table 1).
# Data: PASCAL VOC 07+12 trainval, VOC07 test in data/VOCdevkit/ (mmdet's layout).
# Schedule: 240k iterations, SGD lr 0.008, linear warm-up over 5k iterations, /10 at 180k, 220k.
# Paper: 62.38 mAP on VOC2007 test, fine-tuned from ImageNet (Table 1; ours starts from scratch).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './ssd300_vgg16-1-8_4xb32-240k_voc.py'
channels = (128, 256, 128, 64, 64, 64)  # (512, 1024, 512, 256, 256, 256) / 4
model = dict(backbone=dict(widen_factor=1 / 4),
             neck=dict(in_channels=channels[:2], out_channels=channels),
             bbox_head=dict(in_channels=channels))
