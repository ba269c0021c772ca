# Table 2 row 1 on the built-in synthetic benchmark, CPU-sized: 224x128 (the "320" input),
# 4 classes, the 12-epoch Adam schedule of the other anchor-based synthetic configs.
_base_ = [
    '../_base_/models/effnet-gfl_lite0.py', '../_base_/datasets/synthetic_gfl.py',
    '../_base_/schedules/adam_12e_quick.py', '../_base_/default_runtime.py'
]
model = dict(bbox_head=dict(num_classes=4))
