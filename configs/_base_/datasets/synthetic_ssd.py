# The synthetic benchmark with SSD's augmentation at 288x160 (W x H): the 576x320 aspect ratio at
# a CPU-sized input (the Mobile CenterNet quick configs' size). No Expand: its zoom-out makes the
# benchmark's small objects (median 15 px at this size) smaller still; at 224x128 with Expand the
# SSD teacher reached only 0.045 mAP@0.5 in the 3-epoch budget.
_base_ = './synthetic.py'

img_scale = (288, 160)
train_pipeline = [
    dict(type='CheckedLoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='MinIoURandomCrop', min_ious=(0.1, 0.3, 0.5, 0.7, 0.9), min_crop_size=0.5),
    dict(type='Resize', scale=img_scale, keep_ratio=False),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion', brightness_delta=32, contrast_range=(0.5, 1.5),
         saturation_range=(0.5, 1.5), hue_delta=18),
    # boxes under 4 px cannot match an anchor at IoU 0.5; SSD's assigner (min_pos_iou=0) would
    # still give each its best anchor as a positive, at IoUs near 0
    dict(type='FilterAnnotations', min_gt_bbox_wh=(4, 4), keep_empty=True),
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
