# Pre-training of the half-width VGG16 SSD teacher's backbone, run once (`make pretrain-agkd`): the detector from
# scratch on the larger, differently seeded synthetic split, in place of ImageNet weights, as for
# Mobile CenterNet and RefineDetLite; its backbone becomes
# checkpoints/ssd300_vgg16_teacher_pretrain_synthetic.pth, which the synthetic rows load.
_base_ = ['./ssd300_vgg16_teacher_synthetic.py', '../_base_/synthetic_pretrain.py']
model = dict(backbone=dict(init_cfg=None))  # from scratch
data_root = _base_.pretrain_data_root
train_dataloader = val_dataloader = test_dataloader = _base_.pretrain_dataloader
val_evaluator = test_evaluator = _base_.pretrain_evaluator
max_epochs = 6
train_cfg, param_scheduler = _base_.pretrain_6e.train_cfg, _base_.pretrain_6e.param_scheduler
