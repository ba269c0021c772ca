# Mobile CenterNet student, HRNet-W16, head conv 32, Gaussian focal loss; built-in synthetic benchmark, CPU-sized (288x160, 3 epochs).
_base_ = [
    '../_base_/models/mcn_hrnet-w16.py', '../_base_/datasets/synthetic_quick.py',
    '../_base_/schedules/mcn_adam_quick.py', '../_base_/default_runtime.py'
]
# The paper fine-tunes from an ImageNet-pretrained backbone; here the backbone starts from the
# shipped synthetic pre-training (mcn_hrnet-w16_pretrain_synthetic.py, `make pretrain-mcn`), a
# disjoint split of the same generator, and the head from scratch. Found next to the config
# (repository or installed package), whatever the working directory.
backbone_checkpoint = '{{ fileDirname }}/../../checkpoints/mcn_hrnet-w16_pretrain_synthetic.pth'
model = dict(
    backbone=dict(init_cfg=dict(_delete_=True, type='Pretrained', prefix='backbone.',
                                checkpoint=backbone_checkpoint)),
    bbox_head=dict(num_classes=4))
