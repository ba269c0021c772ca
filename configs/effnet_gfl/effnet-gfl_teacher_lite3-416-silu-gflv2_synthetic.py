# The LD teacher on the synthetic benchmark: the COCO teacher's model (Lite3, 128-channel PAN and
# head, GFLv2, dense) on row 3's synthetic data and schedule.
_base_ = './effnet-gfl_row3_lite1-416-silu-gflv1-amp_synthetic.py'
model = dict(
    backbone=dict(arch='lite3'),
    neck=dict(in_channels=[48, 136, 384], out_channels=128),
    bbox_head=dict(type='GFLv2Head', in_channels=128, feat_channels=128))
