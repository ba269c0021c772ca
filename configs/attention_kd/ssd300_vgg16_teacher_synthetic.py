# Attention-guided KD teacher on the built-in synthetic benchmark, CPU-sized: the full-width VGG16
# SSD at 224x128 (5 prediction levels: 28x16, 14x8, 7x4, 4x2, 2x1), 3 epochs. No downloads, so
# trained from scratch with BatchNorm after every conv (ThinSSDVGG at width 1).
_base_ = [
    'mmdet::_base_/models/ssd300.py', '../_base_/datasets/synthetic_ssd.py',
    '../_base_/schedules/agkd_sgd_quick.py', '../_base_/default_runtime.py'
]
custom_imports = dict(imports=['mmdet_lite'], allow_failed_imports=False)
channels = (512, 1024, 512, 256, 256)
model = dict(
    backbone=dict(_delete_=True, type='ThinSSDVGG', depth=16, widen_factor=1.0,
                  norm_cfg=dict(type='BN')),
    neck=dict(in_channels=channels[:2], out_channels=channels, level_strides=(2, 2, 2),
              level_paddings=(1, 1, 1), norm_cfg=dict(type='BN')),
    bbox_head=dict(
        in_channels=channels, num_classes=4,
        anchor_generator=dict(
            _delete_=True, type='SSDAnchorGenerator', scale_major=False,
            strides=[8, 16, 32, (56, 64), (112, 128)],
            ratios=[[2], [2, 3], [2, 3], [2], [2]],
            min_sizes=[8, 20, 40, 64, 96], max_sizes=[20, 40, 64, 96, 128])))
