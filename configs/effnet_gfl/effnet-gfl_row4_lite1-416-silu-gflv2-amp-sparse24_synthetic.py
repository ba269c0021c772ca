# Table 2 row 4 on the synthetic benchmark: row 3 with GFLv2 and 2:4 sparsity for the second half
# of the schedule (from epoch 2 of 4, 0-based; the paper: from epoch 140 of 280).
_base_ = './effnet-gfl_row3_lite1-416-silu-gflv1-amp_synthetic.py'
model = dict(bbox_head=dict(type='GFLv2Head', reg_topk=4, reg_channels=64, add_mean=True))
custom_hooks = [dict(type='StructuredSparsityHook', n=2, m=4, start_epoch=2)]
