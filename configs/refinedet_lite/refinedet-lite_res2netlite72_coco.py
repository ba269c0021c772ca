# RefineDetLite, Res2NetLite72, 320x320, COCO; basic configuration (Sec. 5.1, Table 2: 26.8 AP).
_base_ = [
    '../_base_/models/refinedet-lite_res2netlite72.py', '../_base_/datasets/coco_ssd320.py',
    '../_base_/schedules/refinedet_sgd_250e.py', '../_base_/default_runtime.py'
]
