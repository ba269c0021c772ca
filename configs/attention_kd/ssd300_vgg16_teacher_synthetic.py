# Attention-guided KD teacher on the built-in synthetic benchmark, CPU-sized: the VGG16 SSD at
# 288x160 (5 prediction levels: 36x20, 18x10, 9x5, 5x3, 3x2), BatchNorm after every conv. Half
# width (widen_factor 0.5, 1/4 of the MACs): the full-width teacher's forward alone took 2.6 s per
# batch of 8 on 2 CPU cores (224x128), and each distillation run ~25 min; the 1/8 student still
# has 1/4 of this teacher's channels.
_base_ = [
    'mmdet::_base_/models/ssd300.py', '../_base_/datasets/synthetic_ssd.py',
    '../_base_/schedules/adam_12e_quick.py', '../_base_/default_runtime.py'
]
# As the Mobile CenterNet and RefineDetLite rows, the backbone starts from a pre-training of this
# detector on the disjoint, differently seeded data/synthetic_pretrain split
# (ssd300_vgg16_teacher_pretrain_synthetic.py), as the paper's VGG16 starts from ImageNet; neck
# and head from scratch. Not shipped: `make pretrain-agkd` makes it once (the 1/8
# student's is shipped), and `make ablation-agkd` does so when it is missing. From scratch instead:
# --cfg-options model.backbone.init_cfg=None with the 12-epoch schedule (adam_12e_quick.py).
backbone_checkpoint = \
    '{{ fileDirname }}/../../checkpoints/ssd300_vgg16_teacher_pretrain_synthetic.pth'
channels = (256, 512, 256, 128, 128)  # VGG16 SSD's / 2
model = dict(
    backbone=dict(_delete_=True, type='ThinSSDVGG', depth=16, widen_factor=0.5,
                  norm_cfg=dict(type='BN'),
                  init_cfg=dict(type='Pretrained', prefix='backbone.',
                                checkpoint=backbone_checkpoint)),
    neck=dict(in_channels=channels[:2], out_channels=channels, level_strides=(2, 2, 2),
              level_paddings=(1, 1, 1), norm_cfg=dict(type='BN')),
    bbox_head=dict(
        in_channels=channels, num_classes=4,
        anchor_generator=dict(
            _delete_=True, type='SSDAnchorGenerator', scale_major=False,
            strides=[8, 16, 32, (58, 53), (96, 80)],
            ratios=[[2], [2, 3], [2, 3], [2], [2]],
            min_sizes=[8, 20, 40, 64, 96], max_sizes=[20, 40, 64, 96, 128])))

# 4 of the quick schedule's 12 epochs (752 iterations of batch 8), /10 at 75 % and 92 %
max_epochs = 4
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=752, milestones=[564, 692],
         gamma=0.1)
]
