# 1/8 VGG16 SSD300 student (Table 1): every conv layer of the teacher's backbone and extra layers
# at 1/8 of its channels, trained from scratch (BatchNorm after every conv, no ImageNet weights).
# Data: PASCAL VOC 07+12 trainval, VOC07 test in data/VOCdevkit/ (mmdet's layout).
# Schedule: 240k iterations, SGD lr 0.008, linear warm-up over 5k iterations, /10 at 180k, 220k.
# Paper: 46.23 mAP on VOC2007 test, fine-tuned from ImageNet (Table 1; ours starts from scratch).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './ssd300_vgg16_teacher_8xb8-24e_voc.py'
channels = (64, 128, 64, 32, 32, 32)  # (512, 1024, 512, 256, 256, 256) / 8
model = dict(
    backbone=dict(_delete_=True, type='ThinSSDVGG', depth=16, widen_factor=1 / 8,
                  norm_cfg=dict(type='BN')),
    neck=dict(in_channels=channels[:2], out_channels=channels, norm_cfg=dict(type='BN')),
    bbox_head=dict(in_channels=channels))

# Sec. 3.1 student schedule: SGD lr 0.008, momentum 0.9, weight decay 5e-4, 240k iterations at
# 4 GPUs x 32 images, lr /10 at 180k and 220k, linear warm-up from 0.0008 over 5k iterations.
train_dataloader = dict(batch_size=32)  # x 4 GPUs
max_iters = 240000
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=10000)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.008, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=5000),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=max_iters, milestones=[180000, 220000],
         gamma=0.1)
]
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=10000))
log_processor = dict(by_epoch=False)
auto_scale_lr = dict(base_batch_size=128)
