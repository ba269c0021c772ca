# Pre-training of the Res2NetLite72 backbone for the synthetic Table 3 rows, run once
# (`make pretrain-rdl`): the basic RefineDetLite detector (row (c): smooth L1, cross-entropy,
# OHEM 1:3, nothing from the advanced configuration) from scratch on a larger, differently seeded
# split, in place of ImageNet weights; its backbone becomes
# checkpoints/refinedet-lite_res2netlite72_pretrain_synthetic.pth, which the synthetic rows load.
# data/synthetic_pretrain: tools/make_synthetic.py --seed 2026 --num-train 3000 --num-val 300
# (the split the Mobile CenterNet W16 pre-training uses).
_base_ = './refinedet-lite_res2netlite72_synthetic.py'

data_root = 'data/synthetic_pretrain/'
model = dict(backbone=dict(init_cfg=None))
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/instances_val.json')
test_evaluator = val_evaluator

# 6 epochs of 3000 images (batch 8, 2250 iterations, the budget of the 12-epoch from-scratch
# rows); /10 at 75 % and 92 %
max_epochs = 6
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=2250, milestones=[1688, 2070],
         gamma=0.1)
]
randomness = dict(seed=20261205)
