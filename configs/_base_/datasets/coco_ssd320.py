# COCO 2017 with SSD's augmentation at 320x320 (RefineDetLite Sec. 5.1: "we strictly follow the
# instruction of SSD"); 4 GPUs x 32 images = the paper's batch of 128.
_base_ = 'mmdet::_base_/datasets/coco_detection.py'

input_size = 320
mean = [123.675, 116.28, 103.53]
train_pipeline = [
    dict(type='CheckedLoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Expand', mean=mean, to_rgb=True, ratio_range=(1, 4)),
    dict(type='MinIoURandomCrop', min_ious=(0.1, 0.3, 0.5, 0.7, 0.9), min_crop_size=0.3),
    dict(type='Resize', scale=(input_size, input_size), keep_ratio=False),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion', brightness_delta=32, contrast_range=(0.5, 1.5),
         saturation_range=(0.5, 1.5), hue_delta=18),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(input_size, input_size), keep_ratio=False),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(batch_size=32, num_workers=4, batch_sampler=None,
                        dataset=dict(type='CheckedCocoDataset', pipeline=train_pipeline))
val_dataloader = dict(batch_size=8,
                      dataset=dict(type='CheckedCocoDataset', pipeline=test_pipeline))
test_dataloader = val_dataloader
# classes mapped to category ids by name; only the images the dataset loaded are scored
val_evaluator = dict(type='CheckedCocoMetric')
test_evaluator = val_evaluator
