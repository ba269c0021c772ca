# Pre-training of the W32 teacher's backbone, run once (`make pretrain-mcn-teacher`): the W32
# detector from scratch on the larger, differently seeded synthetic split, in place of the ImageNet
# weights the paper starts from, as mcn_hrnet-w16_pretrain_synthetic.py does for the student (same
# split, same schedule). Its backbone becomes checkpoints/mcn_hrnet-w32_pretrain_synthetic.pth
# (114 MiB, not shipped), which the synthetic teacher loads.
_base_ = ['./mcn_hrnet-w32_teacher_synthetic.py', '../_base_/synthetic_pretrain.py']
model = dict(backbone=dict(init_cfg=None))  # from scratch
data_root = _base_.pretrain_data_root
train_dataloader = val_dataloader = test_dataloader = _base_.pretrain_dataloader
val_evaluator = test_evaluator = _base_.pretrain_evaluator
max_epochs = 4
train_cfg, param_scheduler = _base_.pretrain_4e.train_cfg, _base_.pretrain_4e.param_scheduler
