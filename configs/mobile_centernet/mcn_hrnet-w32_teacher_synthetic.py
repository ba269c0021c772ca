# Mobile CenterNet teacher, HRNet-W32, head conv 64; built-in synthetic benchmark, CPU-sized (288x160, 3 epochs).
_base_ = [
    '../_base_/models/mcn_hrnet-w32.py', '../_base_/datasets/synthetic_quick.py',
    '../_base_/schedules/mcn_adam_quick.py', '../_base_/default_runtime.py'
]
# As the W16 student: the backbone starts from a synthetic pre-training on a disjoint,
# differently seeded split (mcn_hrnet-w32_pretrain_synthetic.py), in place of the paper's ImageNet
# weights, and the head from scratch. Not shipped (114 MiB): `make pretrain-mcn-teacher` makes it
# once (about 55 min on 2 cores), and `make ablation-mcn` does so when it is missing. From scratch
# instead: --cfg-options model.backbone.init_cfg=None (mAP@0.5 about 0.30, below the student).
backbone_checkpoint = '{{ fileDirname }}/../../checkpoints/mcn_hrnet-w32_pretrain_synthetic.pth'
model = dict(
    backbone=dict(init_cfg=dict(_delete_=True, type='Pretrained', prefix='backbone.',
                                checkpoint=backbone_checkpoint)),
    bbox_head=dict(num_classes=4, input_norm_cfg=dict(type='BN')))
