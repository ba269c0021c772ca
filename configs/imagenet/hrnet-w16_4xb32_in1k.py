# ImageNet-1k pre-training of the Mobile CenterNet student's HRNet-W16 backbone (no public W16
# weights exist). An mmpretrain 1.2 config, run in an mmpretrain environment (not part of
# mmdet_lite, which cannot import mmpretrain beside its CPU torch):
#   mim train mmpretrain configs/imagenet/hrnet-w16_4xb32_in1k.py --gpus 4 --launcher pytorch
# Data: ImageNet-1k in data/imagenet/ (mmpretrain's layout). Schedule: mmpretrain's HRNet recipe
# (100 epochs, SGD lr 0.1, cosine), 4 GPUs x 32 images. The classifier's backbone.* keys are mmdet's
# HRNet keys (projects_tests/tools/test_hrnet_w16_imagenet_recipe.py builds mmpretrain's own HRNet):
# a W16 student starts from it with one option,
#   --cfg-options load_from=work_dirs/hrnet-w16_4xb32_in1k/epoch_100.pth
# (mmengine loads non-strictly: the classifier's neck and head are reported as unexpected keys, the
# detection head keeps its own initialisation).
_base_ = [
    'mmpretrain::_base_/models/hrnet/hrnet-w18.py',
    'mmpretrain::_base_/datasets/imagenet_bs32_pil_resize.py',
    'mmpretrain::_base_/schedules/imagenet_bs256_coslr.py',
    'mmpretrain::_base_/default_runtime.py'
]
# the backbone of configs/_base_/models/mcn_hrnet-w16.py (stage 1: 4 bottlenecks of 64; stages
# 2-4: one module of 2 basic blocks per branch, widths 16/32/64/128)
model = dict(
    backbone=dict(_delete_=True, type='HRNet', extra=dict(
        stage1=dict(num_modules=1, num_branches=1, block='BOTTLENECK', num_blocks=(4, ),
                    num_channels=(64, )),
        stage2=dict(num_modules=1, num_branches=2, block='BASIC', num_blocks=(2, 2),
                    num_channels=(16, 32)),
        stage3=dict(num_modules=1, num_branches=3, block='BASIC', num_blocks=(2, 2, 2),
                    num_channels=(16, 32, 64)),
        stage4=dict(num_modules=1, num_branches=4, block='BASIC', num_blocks=(2, 2, 2, 2),
                    num_channels=(16, 32, 64, 128)))),
    neck=[dict(type='HRFuseScales', in_channels=(16, 32, 64, 128)),
          dict(type='GlobalAveragePooling')])
auto_scale_lr = dict(base_batch_size=128)
