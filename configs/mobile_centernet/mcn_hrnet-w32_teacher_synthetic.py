# Mobile CenterNet teacher, HRNet-W32, head conv 64; built-in synthetic benchmark, CPU-sized (288x160, 3 epochs).
_base_ = [
    '../_base_/models/mcn_hrnet-w32.py', '../_base_/datasets/synthetic_quick.py',
    '../_base_/schedules/mcn_adam_quick.py', '../_base_/default_runtime.py'
]
# no downloads: trained from scratch, hence the BN on the head input (see CenterNetHRNetHead)
model = dict(backbone=dict(init_cfg=None),
             bbox_head=dict(num_classes=4, input_norm_cfg=dict(type='BN')))
