# The synthetic benchmark at half the paper's resolution (288x160) with CPU-sized loaders.
_base_ = './synthetic.py'

img_scale = (288, 160)
train_pipeline = [
    dict(type='CheckedLoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='RandomResize', scale=img_scale, ratio_range=(0.7, 1.3), keep_ratio=True),
    dict(type='RandomCrop', crop_size=img_scale, allow_negative_crop=True),  # (w, h)
    dict(type='Pad', size=img_scale, pad_val=dict(img=(114, 114, 114))),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='FilterAnnotations', min_gt_bbox_wh=(1, 1), keep_empty=True),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=False),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(batch_size=8, num_workers=2,
                        dataset=dict(pipeline=train_pipeline, filter_cfg=dict(min_size=0)))
val_dataloader = dict(batch_size=16, num_workers=2, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
