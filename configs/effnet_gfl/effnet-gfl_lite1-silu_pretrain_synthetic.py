# Pre-training of the EfficientNet-Lite1 (SiLU) student of Table 2 rows 3-5, with the row-3 detector (GFLv1, dense), run once (`make pretrain-effnet`): from scratch on the larger,
# differently seeded synthetic split, in place of ImageNet weights, as for the other families;
# its backbone becomes checkpoints/effnet-gfl_lite1-silu_pretrain_synthetic.pth.
_base_ = ['./effnet-gfl_row3_lite1-416-silu-gflv1-amp_synthetic.py', '../_base_/synthetic_pretrain.py']
model = dict(backbone=dict(init_cfg=None))  # from scratch
data_root = _base_.pretrain_data_root
train_dataloader = val_dataloader = test_dataloader = _base_.pretrain_dataloader
val_evaluator = test_evaluator = _base_.pretrain_evaluator
max_epochs = 6
train_cfg, param_scheduler = _base_.pretrain_6e.train_cfg, _base_.pretrain_6e.param_scheduler
