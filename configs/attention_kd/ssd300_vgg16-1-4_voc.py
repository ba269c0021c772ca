# 1/4 VGG16 SSD300 student (Table 1).
_base_ = './ssd300_vgg16-1-8_voc.py'
channels = (128, 256, 128, 64, 64, 64)  # (512, 1024, 512, 256, 256, 256) / 4
model = dict(backbone=dict(widen_factor=1 / 4),
             neck=dict(in_channels=channels[:2], out_channels=channels),
             bbox_head=dict(in_channels=channels))
