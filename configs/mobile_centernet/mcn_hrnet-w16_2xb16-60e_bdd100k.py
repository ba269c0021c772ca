# Mobile CenterNet student, HRNet-W16, head conv 32, Gaussian focal loss; BDD100K, 10 classes (Table 2).
# The backbone starts from scratch: no public ImageNet weights exist for W16, and the paper
# does not say how it initialised it. ImageNet starts: pre-train W16 with mmpretrain
# (configs/imagenet/hrnet-w16_4xb32_in1k.py), then --cfg-options load_from=<its checkpoint>; or
# use HRNet-W18-small's published weights (mcn_hrnet-w18-small_cbfl_2xb16-60e_bdd100k.py).
# Data: BDD100K in data/bdd100k/ (images/100k/{train,val}/, annotations/det_train_coco.json and its
#  val twin from tools/bdd100k_to_coco.py --mode bdd10).
# Schedule: 60 epochs, Adam lr 0.001, linear warm-up over 500 iterations, /10 at 45, 55 epochs.
# Paper: 36.6 mAP@0.5 on BDD100K val (Table 2).
# Trained on 2 GPUs x 16 images (auto_scale_lr.base_batch_size = 32):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = [
    '../_base_/models/mcn_hrnet-w16.py', '../_base_/datasets/bdd100k.py',
    '../_base_/schedules/mcn_adam_60e.py', '../_base_/default_runtime.py'
]
model = dict(bbox_head=dict(num_classes=10))
