# RefineDetLite Sec. 5.1, basic configuration: SGD momentum 0.9, weight decay 5e-4, batch 128;
# lr 4e-3 for 150 epochs, then 4e-4 and 4e-5 for 50 epochs each. The warm-up is ours (the paper
# is silent; from-scratch BN networks need one at this lr).
max_epochs = 250
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=4e-3, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[150, 200],
         gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=128)
