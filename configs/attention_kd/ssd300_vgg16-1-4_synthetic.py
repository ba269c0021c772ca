# 1/4 VGG16 SSD student on the synthetic benchmark.
_base_ = './ssd300_vgg16-1-8_synthetic.py'
channels = (128, 256, 128, 64, 64)  # VGG16 SSD's / 4 (the synthetic teacher's / 2)
model = dict(backbone=dict(widen_factor=1 / 4),
             neck=dict(in_channels=channels[:2], out_channels=channels),
             bbox_head=dict(in_channels=channels))
