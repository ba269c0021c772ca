# mmdet's runtime, plus the settings every mmdet_lite run needs.
_base_ = 'mmdet::_base_/default_runtime.py'

custom_imports = dict(imports=['mmdet_lite'], allow_failed_imports=False)

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=20),
    # keep the last checkpoints so an interrupted run resumes with --resume; best by mAP@0.5
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3,
                    save_best='coco/bbox_mAP_50', rule='greater'),
    # per-epoch count of training images skipped as undecodable (CheckedCocoDataset)
    unreadable_images=dict(type='UnreadableImageHook'))
# tools/train.py switches to gloo when no GPU is present
env_cfg = dict(dist_cfg=dict(backend='nccl'))
