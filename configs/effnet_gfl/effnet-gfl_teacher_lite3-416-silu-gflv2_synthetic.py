# The LD teacher on the synthetic benchmark: the COCO teacher's model (Lite3, 128-channel PAN and
# head, GFLv2, dense) on row 3's synthetic data and schedule, from its own backbone pre-training
# (effnet-gfl_teacher-lite3_pretrain_synthetic.py; not shipped, `make pretrain-effnet`).
_base_ = './effnet-gfl_row3_lite1-416-silu-gflv1-amp_synthetic.py'
backbone_checkpoint = \
    '{{ fileDirname }}/../../checkpoints/effnet-gfl_teacher-lite3_pretrain_synthetic.pth'
model = dict(
    backbone=dict(arch='lite3', init_cfg=dict(checkpoint=backbone_checkpoint)),
    neck=dict(in_channels=[48, 136, 384], out_channels=128),
    bbox_head=dict(type='GFLv2Head', in_channels=128, feat_channels=128))
