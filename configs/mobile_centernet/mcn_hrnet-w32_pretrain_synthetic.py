# Pre-training of the W32 teacher's backbone, run once (`make pretrain-mcn-teacher`): the W32
# detector from scratch on the larger, differently seeded synthetic split, in place of the ImageNet
# weights the paper starts from, as mcn_hrnet-w16_pretrain_synthetic.py does for the student (same
# split, same schedule). Its backbone becomes checkpoints/mcn_hrnet-w32_pretrain_synthetic.pth
# (114 MiB, not shipped), which the synthetic teacher loads.
# data/synthetic_pretrain: tools/make_synthetic.py --seed 2026 --num-train 3000 --num-val 300.
_base_ = './mcn_hrnet-w32_teacher_synthetic.py'

data_root = 'data/synthetic_pretrain/'
model = dict(backbone=dict(init_cfg=None))
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/instances_val.json')
test_evaluator = val_evaluator

# 4 epochs of 3000 images (batch 8, 1500 iterations); /10 at 75 % and 92 %, as the W16 pre-training
max_epochs = 4
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=1500, milestones=[1125, 1380],
         gamma=0.1)
]
randomness = dict(seed=20261206)
