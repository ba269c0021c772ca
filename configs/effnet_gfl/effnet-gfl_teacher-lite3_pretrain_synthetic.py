# Pre-training of the EfficientNet-Lite3 LD teacher, with its own detector, run once (`make pretrain-effnet`): from scratch on the larger,
# differently seeded synthetic split, in place of ImageNet weights, as for the other families;
# its backbone becomes checkpoints/effnet-gfl_teacher-lite3_pretrain_synthetic.pth.
_base_ = ['./effnet-gfl_teacher_lite3-416-silu-gflv2_synthetic.py', '../_base_/synthetic_pretrain.py']
model = dict(backbone=dict(init_cfg=None))  # from scratch
data_root = _base_.pretrain_data_root
train_dataloader = val_dataloader = test_dataloader = _base_.pretrain_dataloader
val_evaluator = test_evaluator = _base_.pretrain_evaluator
max_epochs = 6
train_cfg, param_scheduler = _base_.pretrain_6e.train_cfg, _base_.pretrain_6e.param_scheduler
