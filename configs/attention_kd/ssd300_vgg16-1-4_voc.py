# 1/4 VGG16 SSD300 student (Table 1).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './ssd300_vgg16-1-8_voc.py'
channels = (128, 256, 128, 64, 64, 64)  # (512, 1024, 512, 256, 256, 256) / 4
model = dict(backbone=dict(widen_factor=1 / 4),
             neck=dict(in_channels=channels[:2], out_channels=channels),
             bbox_head=dict(in_channels=channels))
