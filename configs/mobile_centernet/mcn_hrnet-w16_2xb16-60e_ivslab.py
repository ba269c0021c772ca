# Mobile CenterNet student, HRNet-W16, head conv 32, Gaussian focal loss; ivslab fine-tuning from the BDD100K (ivslab classes) pre-training, Sec. 4.1.
# Data: ivslab in data/ivslab/ (from the organisers; annotations by tools/ivslab_split.py, see
#  _base_/datasets/ivslab.py).
# Schedule: 60 epochs, Adam lr 0.001, linear warm-up over 500 iterations, /10 at 45, 55 epochs.
# Paper: none for this row (the paper reports ivslab only for its final system).
# Trained on 2 GPUs x 16 images (auto_scale_lr.base_batch_size = 32):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = [
    '../_base_/models/mcn_hrnet-w16.py', '../_base_/datasets/ivslab.py',
    '../_base_/schedules/mcn_adam_60e.py', '../_base_/default_runtime.py'
]
model = dict(bbox_head=dict(num_classes=4))
load_from = 'work_dirs/mcn_hrnet-w16_2xb16-60e_bdd100k-ivslab/epoch_60.pth'
