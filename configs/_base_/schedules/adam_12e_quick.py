# CPU-sized schedule of the anchor-based detectors (SSD, RefineDetLite) on the synthetic
# benchmark: 12 epochs of the 1500-image split at batch 8 (2256 iterations), /10 steps at 75 % and
# 92 %. Adam lr 1e-3 (as the Mobile CenterNet quick schedule) instead of the papers' SGD: the
# from-scratch SSD teacher diverged with SGD at lr 0.01 and 0.004 and reached only 0.024 mAP@0.5
# at lr 0.0015. 12 epochs, not CenterNet's 3: anchor-based detectors trained from scratch learn
# far more slowly here (the 1/8 SSD student: mAP@0.5 0.004 after 3 epochs, 0.027 after 6; the
# half-width SSD teacher 0.028 and RefineDetLite72 0.003 after a 3-epoch schedule). The paper's
# schedules are 240k (SSD) and 250 epochs (RefineDetLite).
max_epochs = 12
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=max_epochs)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=1e-3, weight_decay=0.0),
                     clip_grad=dict(max_norm=35, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=2256, milestones=[1692, 2076],
         gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=8)
