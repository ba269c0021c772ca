# Mobile CenterNet Sec. 4.1: lr 1e-3 divided by 10 at epochs 45 and 55, 60 epochs; optimizer as
# CenterNet [5] (Adam).
max_epochs = 60
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=0.0),
    clip_grad=dict(max_norm=35, norm_type=2))

param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[45, 55],
         gamma=0.1)
]
# lr 1e-3 was set for 2 GPUs x 16 images; enable to rescale for other batch sizes
auto_scale_lr = dict(enable=False, base_batch_size=32)
