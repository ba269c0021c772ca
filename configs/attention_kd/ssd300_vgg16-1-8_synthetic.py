# 1/8 VGG16 SSD student on the synthetic benchmark, the teacher's schedule (4 epochs) from its own
# synthetic backbone pre-training (ssd300_vgg16-1-8_pretrain_synthetic.py; shipped, 1.3 MiB,
# `make pretrain-agkd` remakes it).
_base_ = './ssd300_vgg16_teacher_synthetic.py'
backbone_checkpoint = \
    '{{ fileDirname }}/../../checkpoints/ssd300_vgg16-1-8_pretrain_synthetic.pth'
channels = (64, 128, 64, 32, 32)  # VGG16 SSD's / 8 (the synthetic teacher's / 4)
model = dict(backbone=dict(widen_factor=1 / 8, init_cfg=dict(checkpoint=backbone_checkpoint)),
             neck=dict(in_channels=channels[:2], out_channels=channels),
             bbox_head=dict(in_channels=channels))
