# RefineDetLite with Res2NetLite72 at 320x320, basic configuration (RefineDetLite Sec. 3, 5.1):
# Res2Blocks + Light-heads, smooth L1 + cross-entropy, OHEM 1:3, plain NMS.
model = dict(
    type='SingleStageDetector',
    data_preprocessor=dict(type='DetDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_size_divisor=1),
    backbone=dict(type='Res2NetLite', c=72, block='res2', groups=2, extra_channels=(512, 512)),
    neck=None,
    bbox_head=dict(
        type='RefineDetLiteHead', num_classes=80, in_channels=(576, 1152, 512, 512),
        feat_channels=256, head='light', objectness_thr=0.01,
        # RefineDet's anchors (32-256 px, ratios 1:2, 1:1, 2:1) on the 20/10/5/3 maps at 320x320
        anchor_generator=dict(type='AnchorGenerator', strides=[16, 32, 64, 107],
                              ratios=[0.5, 1.0, 2.0], base_sizes=[32, 64, 128, 256],
                              scales=[1.0], center_offset=0.5),
        bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.],
                        target_stds=[0.1, 0.1, 0.2, 0.2]),
        reg_decoded_bbox=False,
        loss_bbox=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0),
        loss_odm_cls=dict(type='IoUGuidedCrossEntropyLoss', iou_guided=False)),
    train_cfg=dict(
        assigner=dict(type='MaxIoUAssigner', pos_iou_thr=0.5, neg_iou_thr=0.5, min_pos_iou=0.,
                      ignore_iof_thr=-1, gt_max_assign_all=False),
        allowed_border=-1, pos_weight=-1, neg_pos_ratio=3, debug=False),
    test_cfg=dict(nms_pre=1000, score_thr=0.01, nms=dict(type='nms', iou_threshold=0.45),
                  min_bbox_size=0, max_per_img=100))
