# EfficientNet-Lite0 + LitePAN + GFL head (Table 2 row 1 of the EfficientNet-Lite + GFLv2 paper):
# three pyramid levels (strides 8, 16, 32) from stages 3, 5 and 7 of the backbone, fused by the
# 1x1-lateral PAN; a light GFL head (two 3x3 convs per branch, BN, shared across levels as in
# mmdet's GFL) with one anchor-point per location assigned by ATSS, QFL + DFL + GIoU (GFLv1).
# Head width and reg_max follow NanoDet's GFL head, the design the paper builds on.
model = dict(
    type='GFL',
    data_preprocessor=dict(type='DetDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_size_divisor=32),
    backbone=dict(type='EfficientNetLite', arch='lite0', out_indices=(2, 4, 6),
                  act_cfg=dict(type='ReLU6')),
    neck=dict(type='LitePAN', in_channels=[40, 112, 320], out_channels=96),
    bbox_head=dict(
        type='GFLHead',
        num_classes=80,
        in_channels=96,
        feat_channels=96,
        stacked_convs=2,
        norm_cfg=dict(type='BN', requires_grad=True),
        reg_max=7,
        anchor_generator=dict(type='AnchorGenerator', ratios=[1.0], octave_base_scale=5,
                              scales_per_octave=1, strides=[8, 16, 32]),
        loss_cls=dict(type='QualityFocalLoss', use_sigmoid=True, beta=2.0, loss_weight=1.0),
        loss_dfl=dict(type='DistributionFocalLoss', loss_weight=0.25),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0)),
    train_cfg=dict(assigner=dict(type='ATSSAssigner', topk=9), allowed_border=-1,
                   pos_weight=-1, debug=False),
    test_cfg=dict(nms_pre=1000, min_bbox_size=0, score_thr=0.05,
                  nms=dict(type='nms', iou_threshold=0.6), max_per_img=100))
