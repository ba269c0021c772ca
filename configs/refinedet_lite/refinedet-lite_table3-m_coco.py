# RefineDetLite Table 3 row (m) on COCO: (l) + balanced multi-task loss (paper, COCO: 29.3 AP).
_base_ = './refinedet-lite_table3-l_coco.py'
model = dict(bbox_head=dict(multitask=dict(type='BalancedMultiTaskLoss')))
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'log_vars': dict(decay_mult=0.0)}))
