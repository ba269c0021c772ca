# CPU-sized version of the Sec. 4.1 schedule for the synthetic benchmark: the same Adam lr 1e-3
# and the same /10 steps at 75 % and 92 % of training, over 12 epochs instead of 60.
_base_ = './mcn_adam_60e.py'

max_epochs = 12
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[9, 11],
         gamma=0.1)
]
