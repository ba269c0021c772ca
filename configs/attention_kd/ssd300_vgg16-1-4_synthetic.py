# 1/4 VGG16 SSD student on the synthetic benchmark. No pre-training of its own: from scratch with
# the 12-epoch schedule (the Table 1 claim is checked on the 1/8 student).
_base_ = './ssd300_vgg16-1-8_synthetic.py'
channels = (128, 256, 128, 64, 64)  # VGG16 SSD's / 4 (the synthetic teacher's / 2)
model = dict(backbone=dict(widen_factor=1 / 4, init_cfg=None),
             neck=dict(in_channels=channels[:2], out_channels=channels),
             bbox_head=dict(in_channels=channels))

# the quick schedule's 12 epochs (2256 iterations), from scratch
max_epochs = 12
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=2256, milestones=[1692, 2076],
         gamma=0.1)
]
