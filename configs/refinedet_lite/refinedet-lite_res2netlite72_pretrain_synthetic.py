# Pre-training of the Res2NetLite72 backbone for the synthetic Table 3 rows, run once
# (`make pretrain-rdl`): the basic RefineDetLite detector (row (c): smooth L1, cross-entropy,
# OHEM 1:3, nothing from the advanced configuration) from scratch on a larger, differently seeded
# split, in place of ImageNet weights; its backbone becomes
# checkpoints/refinedet-lite_res2netlite72_pretrain_synthetic.pth, which the synthetic rows load
# (the same split as the Mobile CenterNet W16 pre-training).
_base_ = ['./refinedet-lite_res2netlite72_synthetic.py', '../_base_/synthetic_pretrain.py']
model = dict(backbone=dict(init_cfg=None))  # from scratch
data_root = _base_.pretrain_data_root
train_dataloader = val_dataloader = test_dataloader = _base_.pretrain_dataloader
val_evaluator = test_evaluator = _base_.pretrain_evaluator
max_epochs = 6
train_cfg, param_scheduler = _base_.pretrain_6e.train_cfg, _base_.pretrain_6e.param_scheduler
randomness = dict(seed=20261205)
