# RefineDetLite Table 3 row (n) on the built-in synthetic benchmark: (i) + balanced multi-task loss, no IoU-guided loss
# (paper, COCO: 29.2 AP).
_base_ = './refinedet-lite_res2netlite72_softnms-giou-clsw_synthetic.py'
model = dict(bbox_head=dict(multitask=dict(type='BalancedMultiTaskLoss')))
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'log_vars': dict(decay_mult=0.0)}))
