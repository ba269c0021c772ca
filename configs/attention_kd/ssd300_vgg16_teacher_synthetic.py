# Attention-guided KD teacher on the built-in synthetic benchmark, CPU-sized: the VGG16 SSD at
# 288x160 (5 prediction levels: 36x20, 18x10, 9x5, 5x3, 3x2), 12 epochs. No downloads, so trained
# from scratch with BatchNorm after every conv. Half width (widen_factor 0.5, 1/4 of the MACs):
# the full-width teacher's forward alone took 2.6 s per batch of 8 on 2 CPU cores (224x128), and
# each distillation run ~25 min; the 1/8 student still has 1/4 of this teacher's channels.
_base_ = [
    'mmdet::_base_/models/ssd300.py', '../_base_/datasets/synthetic_ssd.py',
    '../_base_/schedules/adam_12e_quick.py', '../_base_/default_runtime.py'
]
channels = (256, 512, 256, 128, 128)  # VGG16 SSD's / 2
model = dict(
    backbone=dict(_delete_=True, type='ThinSSDVGG', depth=16, widen_factor=0.5,
                  norm_cfg=dict(type='BN')),
    neck=dict(in_channels=channels[:2], out_channels=channels, level_strides=(2, 2, 2),
              level_paddings=(1, 1, 1), norm_cfg=dict(type='BN')),
    bbox_head=dict(
        in_channels=channels, num_classes=4,
        anchor_generator=dict(
            _delete_=True, type='SSDAnchorGenerator', scale_major=False,
            strides=[8, 16, 32, (58, 53), (96, 80)],
            ratios=[[2], [2, 3], [2, 3], [2], [2]],
            min_sizes=[8, 20, 40, 64, 96], max_sizes=[20, 40, 64, 96, 128])))
