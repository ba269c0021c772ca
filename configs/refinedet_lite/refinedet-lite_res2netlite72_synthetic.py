# RefineDetLite (basic, Table 3 row (c)) on the built-in synthetic benchmark, CPU-sized: 288x160 with SSD's
# augmentation (maps 18x10, 9x5, 5x3, 3x2), anchors 16-128 px for its small objects, 4 classes,
# Adam, 4 epochs from a pre-trained backbone.
_base_ = [
    '../_base_/models/refinedet-lite_res2netlite72.py', '../_base_/datasets/synthetic_ssd.py',
    '../_base_/schedules/adam_12e_quick.py', '../_base_/default_runtime.py'
]
# Table 1 specifies Res2NetLite as an ImageNet-shaped classifier (224x224 input, Stage4 global
# pooling); the synthetic rows start its detection part from the backbone of a pre-training on a
# disjoint, differently seeded split of the same generator
# (refinedet-lite_res2netlite72_pretrain_synthetic.py), as a user loads ImageNet weights. Not
# shipped (50 MiB): `make pretrain-rdl` makes it once (about 25 min on 2 cores), and
# `make ablation-rdl` does so when it is missing. From scratch instead:
# --cfg-options model.backbone.init_cfg=None (then train 12 epochs, see adam_12e_quick.py).
backbone_checkpoint = \
    '{{ fileDirname }}/../../checkpoints/refinedet-lite_res2netlite72_pretrain_synthetic.pth'
model = dict(backbone=dict(init_cfg=dict(type='Pretrained', prefix='backbone.',
                                         checkpoint=backbone_checkpoint)),
             bbox_head=dict(
    num_classes=4,
    anchor_generator=dict(strides=[16, 32, (58, 53), (96, 80)], base_sizes=[16, 32, 64, 128])))

# 4 of the quick schedule's 12 epochs (752 iterations of batch 8), /10 at 75 % and 92 %
max_epochs = 4
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=752, milestones=[564, 692],
         gamma=0.1)
]
