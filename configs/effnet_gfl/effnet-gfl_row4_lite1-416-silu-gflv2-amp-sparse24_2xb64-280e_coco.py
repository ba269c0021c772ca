# Table 2 row 4: row 3 with the GFLv2 head (DGQP) and 2:4 structured sparsity (paper: 29.72 mAP).
# Dense for the first half of the schedule, then pruned to 2:4 and trained sparse (the paper:
# "trained to a certain stage, and subsequently the network sparseness could be improved"; the
# stage is ours).
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 280 epochs, SGD lr 0.16, linear warm-up over 500 iterations, /10 at 240, 260, 275
#  epochs.
# Trained on 2 GPUs x 64 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './effnet-gfl_row3_lite1-416-silu-gflv1-amp_2xb64-280e_coco.py'
model = dict(bbox_head=dict(type='GFLv2Head', reg_topk=4, reg_channels=64, add_mean=True))
custom_hooks = [dict(type='StructuredSparsityHook', n=2, m=4, start_epoch=140)]
