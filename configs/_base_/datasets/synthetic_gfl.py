# The synthetic benchmark for the EfficientNet-Lite + GFL detectors, CPU-sized: 224x128 for
# Table 2 row 1's "320" input and 288x160 (the other synthetic configs' size, x1.3 as the paper's
# 416/320) for rows 2-5's "416". Flip and photometric jitter only: Mosaic, which the COCO configs
# use, shrinks the benchmark's already small objects (median 15 px at 288x160) fourfold.
_base_ = './synthetic.py'

img_scale = (224, 128)
train_pipeline = [
    dict(type='CheckedLoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=img_scale, keep_ratio=False),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion', brightness_delta=32, contrast_range=(0.5, 1.5),
         saturation_range=(0.5, 1.5), hue_delta=18),
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
train_dataloader = dict(batch_size=8, num_workers=2, batch_sampler=None,
                        dataset=dict(pipeline=train_pipeline, filter_cfg=dict(min_size=0)))
val_dataloader = dict(batch_size=16, num_workers=2, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
