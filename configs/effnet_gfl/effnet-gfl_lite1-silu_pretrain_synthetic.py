# Pre-training of the EfficientNet-Lite1 (SiLU) student of Table 2 rows 3-5, with the row-3 detector (GFLv1, dense), run once (`make pretrain-effnet`): from scratch on the larger,
# differently seeded synthetic split, in place of ImageNet weights, as for the other families;
# its backbone becomes checkpoints/effnet-gfl_lite1-silu_pretrain_synthetic.pth.
# data/synthetic_pretrain: tools/make_synthetic.py --seed 2026 --num-train 3000 --num-val 300.
_base_ = './effnet-gfl_row3_lite1-416-silu-gflv1-amp_synthetic.py'

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
randomness = dict(seed=20261206)
