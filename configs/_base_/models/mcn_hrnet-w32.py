# Mobile CenterNet teacher (Fig. 1): CenterNet on HRNet-W32, head conv 64 filters, fed by HRNet's
# stage-4 highest-resolution feature (multiscale_output=False fuses all branches into it).
model = dict(
    type='CenterNet',
    data_preprocessor=dict(
        type='DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32),
    backbone=dict(
        type='HRNet',
        multiscale_output=False,
        # mmdet's HRNet defaults to norm_eval=True (BN frozen at its running statistics), meant
        # for fine-tuning ImageNet weights at small batch. CenterNet trains the whole network
        # (Sec. 4.1), and from scratch frozen BNs hold their initial (0, 1) statistics, i.e. no
        # normalisation at all: W32's activations then grow ~1e3x per module and reach 1e24.
        norm_eval=False,
        extra=dict(
            stage1=dict(num_modules=1, num_branches=1, block='BOTTLENECK', num_blocks=(4, ),
                        num_channels=(64, )),
            stage2=dict(num_modules=1, num_branches=2, block='BASIC', num_blocks=(4, 4),
                        num_channels=(32, 64)),
            stage3=dict(num_modules=4, num_branches=3, block='BASIC', num_blocks=(4, 4, 4),
                        num_channels=(32, 64, 128)),
            stage4=dict(num_modules=3, num_branches=4, block='BASIC', num_blocks=(4, 4, 4, 4),
                        num_channels=(32, 64, 128, 256))),
        init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://msra/hrnetv2_w32')),
    neck=None,
    bbox_head=dict(
        type='CenterNetHRNetHead',
        num_classes=10,
        in_channels=32,
        feat_channels=64,
        loss_center_heatmap=dict(type='GaussianFocalLoss', alpha=2.0, gamma=4.0, loss_weight=1.0),
        loss_wh=dict(type='L1Loss', loss_weight=0.1),  # lambda_size (Eq. 7)
        loss_offset=dict(type='L1Loss', loss_weight=1.0)),  # lambda_off
    train_cfg=None,
    test_cfg=dict(topk=100, local_maximum_kernel=3, max_per_img=100))
