# + category-balanced focal loss, Eq. (3)-(4) (Table 2 row 'HRNet-W16 + CBFL').
# Class weights come from the training annotations (ClassBalancedWeightsHook); w_c on the
# positive term only (the reading the seeded comparison supports; cbfl-neg is Eq. 3 as printed).
# Data: ivslab in data/ivslab/ (from the organisers; annotations by tools/ivslab_split.py, see
#  _base_/datasets/ivslab.py).
# Schedule: 60 epochs, Adam lr 0.001, linear warm-up over 500 iterations, /10 at 45, 55 epochs.
# Paper: none for this row (the paper reports ivslab only for its final system).
# Trained on 2 GPUs x 16 images (auto_scale_lr.base_batch_size = 32):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './mcn_hrnet-w16_2xb16-60e_ivslab.py'
model = dict(bbox_head=dict(loss_center_heatmap=dict(
    _delete_=True, type='ClassBalancedFocalLoss', alpha=2.0, beta=4.0, class_weights='auto',
    weight_negatives=False)))
custom_hooks = [dict(type='ClassBalancedWeightsHook', W=10.0, gamma=0.75)]
load_from = 'work_dirs/mcn_hrnet-w16_cbfl_2xb16-60e_bdd100k-ivslab/epoch_60.pth'
