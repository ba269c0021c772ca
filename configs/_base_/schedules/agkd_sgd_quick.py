# CPU-sized SSD schedule for the synthetic benchmark: 3 epochs of the 1500-image split at batch 8
# (564 iterations), SGD momentum 0.9, weight decay 5e-4 and /10 steps at 75 % and 92 % as in the
# paper. lr 0.0015 at batch 8 (the paper's 0.008 is for batch 128): the from-scratch VGG16 teacher
# diverged after the warm-up at 0.01 and at 0.004 (its loss fell for 80 iterations, then doubled).
max_epochs = 3
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=max_epochs)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.0015, momentum=0.9, weight_decay=5e-4),
                     clip_grad=dict(max_norm=35, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=564, milestones=[423, 519], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=8)
