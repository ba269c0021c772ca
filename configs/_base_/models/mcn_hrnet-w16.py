# Mobile CenterNet student: HRNet-W16, head conv 32. HRNet's standard stage 1 (4 bottlenecks of
# 64) and one module of 2 basic blocks per branch in stages 2-4: 1.62 M params and 5.66 GMACs at
# 576x320, against the paper's 1.6 M / 5.7 (Table 2; tools/analyze_model.py). No public ImageNet
# weights exist for it: trained from scratch, with a BN on the head input (see CenterNetHRNetHead).
_base_ = './mcn_hrnet-w32.py'

model = dict(
    backbone=dict(
        extra=dict(
            stage2=dict(num_modules=1, num_blocks=(2, 2), num_channels=(16, 32)),
            stage3=dict(num_modules=1, num_blocks=(2, 2, 2), num_channels=(16, 32, 64)),
            stage4=dict(num_modules=1, num_blocks=(2, 2, 2, 2), num_channels=(16, 32, 64, 128))),
        init_cfg=None),
    bbox_head=dict(in_channels=16, feat_channels=32, input_norm_cfg=dict(type='BN')))
