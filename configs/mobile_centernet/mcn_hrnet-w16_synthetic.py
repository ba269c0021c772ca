# Mobile CenterNet student, HRNet-W16, head conv 32, Gaussian focal loss; built-in synthetic benchmark, CPU-sized (288x160, 3 epochs).
_base_ = [
    '../_base_/models/mcn_hrnet-w16.py', '../_base_/datasets/synthetic_quick.py',
    '../_base_/schedules/mcn_adam_quick.py', '../_base_/default_runtime.py'
]
custom_imports = dict(imports=['mmdet_lite'], allow_failed_imports=False)
model = dict(bbox_head=dict(num_classes=4))
