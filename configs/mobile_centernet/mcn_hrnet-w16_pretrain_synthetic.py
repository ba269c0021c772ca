# Pre-training of the W16 student's backbone, run once: the plain W16 detector (Gaussian focal
# loss, no class weights) from scratch on a larger, differently seeded synthetic split, in place of
# the ImageNet weights the paper starts from (`make pretrain-mcn`; its backbone is shipped as
# checkpoints/mcn_hrnet-w16_pretrain_synthetic.pth, which the synthetic W16 rows load).
_base_ = ['./mcn_hrnet-w16_synthetic.py', '../_base_/synthetic_pretrain.py']
model = dict(backbone=dict(init_cfg=None))  # from scratch
data_root = _base_.pretrain_data_root
train_dataloader = val_dataloader = test_dataloader = _base_.pretrain_dataloader
val_evaluator = test_evaluator = _base_.pretrain_evaluator
max_epochs = 4
train_cfg, param_scheduler = _base_.pretrain_4e.train_cfg, _base_.pretrain_4e.param_scheduler
# the seed the shipped checkpoint was trained with (its meta records it); CPU kernels may still
# differ in the last bits from run to run
randomness = dict(seed=163059310)
