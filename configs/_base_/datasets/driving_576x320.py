# Shared pipeline and loaders for the driving datasets at the Mobile CenterNet input size 576x320
# (W x H). Concrete datasets set data_root, ann_file, data_prefix and metainfo.
dataset_type = 'CheckedCocoDataset'
img_scale = (576, 320)  # (w, h)
backend_args = None

train_pipeline = [
    dict(type='CheckedLoadImageFromFile', backend_args=backend_args),
    dict(type='LoadAnnotations', with_bbox=True),
    # CenterNet-style augmentation: random scale and crop, colour jitter, flip
    dict(type='RandomResize', scale=img_scale, ratio_range=(0.6, 1.4), keep_ratio=True),
    dict(type='RandomCrop', crop_size=img_scale, allow_negative_crop=True),  # (w, h)
    dict(type='Pad', size=img_scale, pad_val=dict(img=(114, 114, 114))),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='FilterAnnotations', min_gt_bbox_wh=(1, 1), keep_empty=True),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', backend_args=backend_args),
    dict(type='Resize', scale=img_scale, keep_ratio=False),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]

train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=dict(type='AspectRatioBatchSampler'),
    dataset=dict(
        type=dataset_type,
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        pipeline=train_pipeline,
        backend_args=backend_args))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        test_mode=True,
        pipeline=test_pipeline,
        backend_args=backend_args))
test_dataloader = val_dataloader

val_evaluator = dict(type='CheckedCocoMetric', metric='bbox', classwise=True, format_only=False,
                     backend_args=backend_args)
test_evaluator = val_evaluator
