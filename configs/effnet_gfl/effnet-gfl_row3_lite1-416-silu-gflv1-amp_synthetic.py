# Table 2 row 3 on the synthetic benchmark: row 2 with SiLU and mixed precision (fp16 AMP on GPU;
# on CPU bf16 autocast where the CPU has bf16 instructions, fp32 elsewhere).
_base_ = './effnet-gfl_row2_lite1-416-mish-gflv1_synthetic.py'
# As the other families' synthetic rows, the Lite1 backbone starts from a pre-training of this
# detector on the disjoint, differently seeded data/synthetic_pretrain split
# (effnet-gfl_lite1-silu_pretrain_synthetic.py; shipped, `make pretrain-effnet` remakes it), as
# the paper's starts from ImageNet; PAN and head from scratch. Rows 4 and 5 inherit it. From
# scratch instead: --cfg-options model.backbone.init_cfg=None with the 12-epoch schedule.
backbone_checkpoint = \
    '{{ fileDirname }}/../../checkpoints/effnet-gfl_lite1-silu_pretrain_synthetic.pth'
model = dict(backbone=dict(act_cfg=dict(type='SiLU'),
                           init_cfg=dict(type='Pretrained', prefix='backbone.',
                                         checkpoint=backbone_checkpoint)))
optim_wrapper = dict(type='MixedPrecisionOptimWrapper', loss_scale='dynamic')

# 4 of the quick schedule's 12 epochs (752 iterations of batch 8), /10 at 75 % and 92 %
max_epochs = 4
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=752, milestones=[564, 692],
         gamma=0.1)
]
