# COCO 2017 for the EfficientNet-Lite + GFL detectors at 320x320 (Table 2 row 1): Mosaic, random
# affine and HSV jitter as the paper's "bag of freebies" (Sec. 3); letterbox resize at test.
# Batch 128 = the paper's 2 GPUs x 64.
_base_ = 'mmdet::_base_/datasets/coco_detection.py'

img_scale = (320, 320)
train_pipeline = [
    dict(type='Mosaic', img_scale=img_scale, pad_val=114.0),
    dict(type='RandomAffine', scaling_ratio_range=(0.5, 1.5),
         border=(-img_scale[0] // 2, -img_scale[1] // 2)),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='FilterAnnotations', min_gt_bbox_wh=(1, 1), keep_empty=False),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='Pad', size=img_scale, pad_val=dict(img=(114, 114, 114))),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(
    batch_size=64, num_workers=8, batch_sampler=None,
    dataset=dict(
        _delete_=True,
        type='MultiImageMixDataset',
        dataset=dict(type='CheckedCocoDataset', data_root={{_base_.data_root}},
                     ann_file='annotations/instances_train2017.json',
                     data_prefix=dict(img='train2017/'),
                     pipeline=[dict(type='CheckedLoadImageFromFile'),
                               dict(type='LoadAnnotations', with_bbox=True)],
                     filter_cfg=dict(filter_empty_gt=False, min_size=32)),
        pipeline=train_pipeline))
val_dataloader = dict(batch_size=8,
                      dataset=dict(type='CheckedCocoDataset', pipeline=test_pipeline))
test_dataloader = val_dataloader
# classes mapped to category ids by name; only the images the dataset loaded are scored
val_evaluator = dict(type='CheckedCocoMetric')
test_evaluator = val_evaluator
