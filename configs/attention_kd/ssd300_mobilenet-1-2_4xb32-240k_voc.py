# 1/2 MobileNet SSD300 student (Table 1), from scratch. Its outputs at strides 8, 16, 32 (blocks
# 4, 10, 12) and three extra layers give the VGG SSD300's 38, 19, 10, 5, 3, 1 maps, so the VGG16
# teacher guides every level (Table 3 pairs this student with the VGG16 teacher).
# Data: PASCAL VOC 07+12 trainval, VOC07 test in data/VOCdevkit/ (mmdet's layout).
# Schedule: 240k iterations, SGD lr 0.008, linear warm-up over 5k iterations, /10 at 180k, 220k.
# Paper: 58.22 mAP on VOC2007 test, fine-tuned from ImageNet (Table 1; ours starts from scratch).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './ssd300_vgg16-1-8_4xb32-240k_voc.py'
channels = (128, 256, 512, 256, 128, 128)
model = dict(
    backbone=dict(_delete_=True, type='MobileNetV1', widen_factor=1 / 2, out_indices=(4, 10, 12)),
    neck=dict(in_channels=channels[:3], out_channels=channels, level_strides=(2, 2, 1),
              level_paddings=(1, 1, 0), l2_norm_scale=None),
    bbox_head=dict(in_channels=channels))
