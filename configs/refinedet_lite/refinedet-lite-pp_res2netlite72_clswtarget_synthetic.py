# Table 3 row (o) with the second reading of Eq. (2): each anchor's loss weighted by its target class's
# w (background 1) instead of w_i on every soft-target entry (see IoUGuidedCrossEntropyLoss).
_base_ = './refinedet-lite-pp_res2netlite72_synthetic.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(class_weight_mode='target')))
