# RefineDetLite Table 3 row (g) on the built-in synthetic benchmark: (d) + balanced multi-task loss, Eq. (6) (paper, COCO: 27.7 AP).
_base_ = './refinedet-lite_res2netlite72_softnms_synthetic.py'
model = dict(bbox_head=dict(multitask=dict(type='BalancedMultiTaskLoss')))
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'log_vars': dict(decay_mult=0.0)}))
