# Mobile CenterNet teacher, HRNet-W32, head conv 64; BDD100K mapped to the 4 ivslab classes: the pre-training of Sec. 4.1.
# Data: BDD100K in data/bdd100k/ (images/100k/{train,val}/, annotations/det_train_ivslab_coco.json
#  and its val twin from tools/bdd100k_to_coco.py --mode ivslab).
# Schedule: 60 epochs, Adam lr 0.001, linear warm-up over 500 iterations, /10 at 45, 55 epochs.
# Paper: none (the BDD100K pre-training stage of Sec. 4.1).
# Trained on 2 GPUs x 16 images (auto_scale_lr.base_batch_size = 32):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = [
    '../_base_/models/mcn_hrnet-w32.py', '../_base_/datasets/bdd100k_ivslab.py',
    '../_base_/schedules/mcn_adam_60e.py', '../_base_/default_runtime.py'
]
model = dict(bbox_head=dict(num_classes=4))
