# RefineDetLite (basic) on the built-in synthetic benchmark, CPU-sized: 288x160 with SSD's
# augmentation (maps 18x10, 9x5, 5x3, 3x2), anchors 16-128 px for its small objects, 4 classes,
# Adam 12 epochs.
_base_ = [
    '../_base_/models/refinedet-lite_res2netlite72.py', '../_base_/datasets/synthetic_ssd.py',
    '../_base_/schedules/adam_12e_quick.py', '../_base_/default_runtime.py'
]
model = dict(bbox_head=dict(
    num_classes=4,
    anchor_generator=dict(strides=[16, 32, (58, 53), (96, 80)], base_sizes=[16, 32, 64, 128])))
