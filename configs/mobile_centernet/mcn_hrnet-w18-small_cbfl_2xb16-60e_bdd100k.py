# Not a paper row: the CBFL student on HRNet-W18-small with ImageNet weights, the ImageNet route
# for the student. The paper's W16 has no public ImageNet weights (mcn_hrnet-w16_*.py train it
# from scratch; the paper does not say how it was initialised); W18-small is the smallest HRNet
# OpenMMLab publishes them for (mmseg's "hr18s": stage 1 two bottlenecks, stages 2-4 of 1/3/2
# modules of two blocks per branch, widths 18/36/72/144; 3.6 M parameters against W16's 1.6 M).
# BDD100K as the W16 configs, and trained the same way:
# Data: BDD100K in data/bdd100k/ (images/100k/{train,val}/, annotations/det_train_coco.json and its
#  val twin from tools/bdd100k_to_coco.py --mode bdd10).
# Schedule: 60 epochs, Adam lr 0.001, linear warm-up over 500 iterations, /10 at 45, 55 epochs.
# Paper: none (not a paper row).
# Trained on 2 GPUs x 16 images (auto_scale_lr.base_batch_size = 32):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './mcn_hrnet-w16_cbfl_2xb16-60e_bdd100k.py'
model = dict(
    backbone=dict(
        extra=dict(
            stage1=dict(num_blocks=(2, )),
            stage2=dict(num_modules=1, num_blocks=(2, 2), num_channels=(18, 36)),
            stage3=dict(num_modules=3, num_blocks=(2, 2, 2), num_channels=(18, 36, 72)),
            stage4=dict(num_modules=2, num_blocks=(2, 2, 2, 2), num_channels=(18, 36, 72, 144))),
        init_cfg=dict(_delete_=True, type='Pretrained',
                      checkpoint='open-mmlab://msra/hrnetv2_w18_small')),
    bbox_head=dict(in_channels=18))
