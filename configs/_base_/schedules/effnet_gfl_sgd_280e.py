# EfficientNet-Lite + GFL on COCO (Sec. 4): batch 128, lr warmed up from 3e-4 to 0.16 over the
# first 500 steps. The paper gives neither optimizer nor length (4.5 days on 2 RTX 3090); SGD
# momentum 0.9 and 280 epochs with /10 steps at 240, 260 and 275 are NanoDet's, whose detector
# the paper modifies. Weight decay 5e-5 keeps the depthwise filters from collapsing.
max_epochs = 280
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.16, momentum=0.9, weight_decay=5e-5),
                     clip_grad=dict(max_norm=35, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.0003 / 0.16, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True,
         milestones=[240, 260, 275], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=128)
