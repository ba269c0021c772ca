# 1/8 VGG16 SSD student on the synthetic benchmark, from scratch, same budget as the teacher.
_base_ = './ssd300_vgg16_teacher_synthetic.py'
channels = (64, 128, 64, 32, 32)  # VGG16 SSD's / 8 (the synthetic teacher's / 4)
model = dict(backbone=dict(widen_factor=1 / 8),
             neck=dict(in_channels=channels[:2], out_channels=channels),
             bbox_head=dict(in_channels=channels))
