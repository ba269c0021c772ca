# 1/2 MobileNet SSD student on the synthetic benchmark: strides 8, 16, 32 plus two extra layers
# give the teacher's 5 maps. No pre-training of its own: from scratch with the 12-epoch schedule.
_base_ = './ssd300_vgg16-1-8_synthetic.py'
channels = (128, 256, 512, 256, 128)
model = dict(
    backbone=dict(_delete_=True, type='MobileNetV1', widen_factor=1 / 2, out_indices=(4, 10, 12)),
    neck=dict(in_channels=channels[:3], out_channels=channels, level_strides=(2, 2),
              level_paddings=(1, 1), l2_norm_scale=None),
    bbox_head=dict(in_channels=channels))

# the quick schedule's 12 epochs (2256 iterations), from scratch
max_epochs = 12
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=2256, milestones=[1692, 2076],
         gamma=0.1)
]
