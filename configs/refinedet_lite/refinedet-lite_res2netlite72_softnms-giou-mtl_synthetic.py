# RefineDetLite Table 3 row (k) on the built-in synthetic benchmark: (h) + balanced multi-task loss, Eq. (6) (paper, COCO: 28.7 AP).
_base_ = './refinedet-lite_res2netlite72_softnms-giou_synthetic.py'
model = dict(bbox_head=dict(multitask=dict(type='BalancedMultiTaskLoss')))
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'log_vars': dict(decay_mult=0.0)}))
