# Mobile CenterNet student: HRNet-W16 with a reduced topology (see README, "Model sizes"),
# head conv 32 filters. No public ImageNet weights exist for it: trained from scratch.
_base_ = './mcn_hrnet-w32.py'

model = dict(
    backbone=dict(
        extra=dict(
            stage1=dict(num_modules=1, num_blocks=(1, ), num_channels=(32, )),
            stage2=dict(num_modules=1, num_blocks=(2, 2), num_channels=(16, 32)),
            stage3=dict(num_modules=1, num_blocks=(2, 2, 2), num_channels=(16, 32, 64)),
            stage4=dict(num_modules=1, num_blocks=(2, 2, 2, 2), num_channels=(16, 32, 64, 128))),
        init_cfg=None),
    bbox_head=dict(in_channels=16, feat_channels=32))
