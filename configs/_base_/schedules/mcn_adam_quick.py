# CPU-sized version of the Sec. 4.1 schedule for the synthetic benchmark: the same Adam lr 1e-3
# and /10 steps at 75 % and 92 % of training, over 3 epochs of the 1500-image split (batch 8,
# 564 iterations; the milestones are in iterations for that split) instead of 60 epochs.
_base_ = './mcn_adam_60e.py'

max_epochs = 3
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=564, milestones=[423, 519],
         gamma=0.1)
]
